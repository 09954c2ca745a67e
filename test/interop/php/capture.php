<?php
/**
 * Regenerates test/fixtures/php-wire/ from PHP's own ext/soap: `php test/interop/php/capture.php`
 * (or into another directory: `php test/interop/php/capture.php DIR`, which the freshness test uses).
 * Requests come from a SoapClient whose __doRequest keeps the XML instead of sending it;
 * responses and faults come from a SoapServer driven with handle() under output buffering.
 * No network, no clock, no randomness: reruns produce identical files.
 * Every response is also decoded again by a SoapClient; where PHP does not read back what it
 * sent, index.json says so in `phpDecodes`.
 */

declare(strict_types=1);

require __DIR__ . '/wire-cases.php';
require __DIR__ . '/wsdl.php';

// Fixed so float text does not depend on the local php.ini.
ini_set('serialize_precision', '-1');
ini_set('precision', '14');
ini_set('display_errors', 'stderr');
ini_set('soap.wsdl_cache_enabled', '0');
error_reporting(E_ALL);

const LOCATION = 'http://127.0.0.1/soap';
const JSON_FLAGS = JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR;

/** Keeps the request instead of sending it, and answers with whatever `reply` holds. */
final class CapturingClient extends SoapClient
{
    public string $lastXml = '';
    public string $lastAction = '';
    public string $reply = '';

    public function __doRequest(string $request, string $location, string $action, int $version, bool $oneWay = false): ?string
    {
        $this->lastXml = $request;
        $this->lastAction = $action;
        return $this->reply;
    }
}

/** Returns whatever the current case says, for any operation name. */
final class ReplayHandler
{
    public mixed $value = null;
    public ?SoapFault $fault = null;

    public function __call(string $name, array $args): mixed
    {
        if ($this->fault !== null) {
            throw $this->fault;
        }
        return $this->value;
    }
}

function non_wsdl_client(): CapturingClient
{
    return new CapturingClient(null, ['location' => LOCATION, 'uri' => APISCP_NS, 'trace' => 1]);
}

function wsdl_client(): CapturingClient
{
    $file = sys_get_temp_dir() . '/siteform-capture-' . getmypid() . '.wsdl';
    file_put_contents($file, apiscp_wsdl(LOCATION));
    $client = new CapturingClient($file, ['trace' => 1, 'cache_wsdl' => WSDL_CACHE_NONE]);
    unlink($file);
    return $client;
}

/** The request XML PHP sends for $op(...$args); a dummy reply stops the call after capture. */
function capture_request(CapturingClient $client, string $op, array $args): array
{
    $client->reply = '<?xml version="1.0"?><x/>';
    try {
        $client->__soapCall($op, $args);
    } catch (SoapFault) {
        // Expected: the dummy reply is not a SOAP envelope.
    }
    return [$client->lastXml, $client->lastAction];
}

/** What PHP's SoapServer answers when its handler returns $value or throws $fault. */
function capture_response(string $op, mixed $value, ?SoapFault $fault = null): string
{
    [$request] = capture_request(non_wsdl_client(), $op, []);
    $handler = new ReplayHandler();
    $handler->value = $value;
    $handler->fault = $fault;
    $server = new SoapServer(null, ['uri' => APISCP_NS]);
    $server->setObject($handler);
    ob_start();
    $server->handle($request);
    return (string) ob_get_clean();
}

/** Feeds a captured response back to a SoapClient: what PHP itself decodes from it. */
function php_decode(string $op, string $response): array
{
    $client = non_wsdl_client();
    $client->reply = $response;
    try {
        return ['value' => $client->__soapCall($op, [])];
    } catch (SoapFault $f) {
        return ['fault' => ['faultcode' => $f->faultcode, 'faultstring' => $f->faultstring]];
    }
}

/** PHP's "unknown function" fault ends the script (zend_bailout), so it runs in a child php. */
function capture_unknown_function_fault(): string
{
    [$request] = capture_request(non_wsdl_client(), 'admin_no_such_method', []);
    $script = '$s = new SoapServer(null, ["uri" => "' . APISCP_NS . '"]); $s->setObject(new stdClass()); $s->handle(stream_get_contents(STDIN));';
    $proc = proc_open([PHP_BINARY, '-d', 'display_errors=0', '-r', $script], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    fwrite($pipes[0], $request);
    fclose($pipes[0]);
    $out = stream_get_contents($pipes[1]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    proc_close($proc);
    return (string) $out;
}

$index = [];
$files = [];

function record(array &$index, array &$files, string $name, string $direction, string $xml, array $entry): void
{
    $file = "$name.xml";
    $files[$file] = $xml;
    $index[] = ['name' => $name, 'direction' => $direction, 'file' => $file] + $entry;
}

foreach (request_cases() as $c) {
    [$xml, $action] = capture_request(non_wsdl_client(), $c['operation'], $c['args']);
    record($index, $files, 'request-' . $c['name'], 'request', $xml, [
        'operation' => $c['operation'], 'mode' => 'non-wsdl', 'soapAction' => $action, 'value' => $c['args'], 'notes' => $c['notes'],
    ]);
}
foreach (['add-site', 'collect-query', 'collect-defaults', 'whoami'] as $name) {
    $c = array_values(array_filter(request_cases(), fn ($r) => $r['name'] === $name))[0];
    [$xml, $action] = capture_request(wsdl_client(), $c['operation'], $c['args']);
    record($index, $files, 'request-wsdl-' . $c['name'], 'request', $xml, [
        'operation' => $c['operation'], 'mode' => 'wsdl', 'soapAction' => $action, 'value' => $c['args'],
        'notes' => array_merge(['WSDL mode (test/interop/php/wsdl.php, parts xsd:anyType): arguments are named after the WSDL parts instead of paramN'], $c['notes']),
    ]);
}
foreach (value_cases() as $c) {
    $sent = $c['phpValue'] ?? $c['value'];
    [$xml, $action] = capture_request(non_wsdl_client(), 'test_echo', [$sent]);
    $entry = ['operation' => 'test_echo', 'mode' => 'non-wsdl', 'soapAction' => $action, 'value' => [$c['value']], 'notes' => $c['notes']];
    if (array_key_exists('phpValue', $c)) {
        $entry['phpValue'] = [$sent];
    }
    record($index, $files, 'request-value-' . $c['name'], 'request', $xml, $entry);
}

$responses = response_cases();
foreach (value_cases() as $c) {
    $responses[] = ['name' => 'value-' . $c['name'], 'operation' => 'test_echo'] + $c;
}
foreach ($responses as $c) {
    $xml = capture_response($c['operation'], $c['phpValue'] ?? $c['value']);
    $entry = ['operation' => $c['operation'], 'value' => $c['value'], 'notes' => $c['notes']];
    if (array_key_exists('phpValue', $c)) {
        $entry['phpValue'] = $c['phpValue'];
    }
    $decoded = php_decode($c['operation'], $xml);
    if (!array_key_exists('value', $decoded) || $decoded['value'] !== $c['value']) {
        $entry['phpDecodes'] = $decoded['value'] ?? $decoded;
    }
    record($index, $files, 'response-' . $c['name'], 'response', $xml, $entry);
}

$faults = [
    ['name' => 'server', 'fault' => new SoapFault('Server', 'some message'), 'notes' => ['what `throw new SoapFault("Server", …)` sends; HTTP status 500']],
    ['name' => 'client', 'fault' => new SoapFault('Client', 'Invalid API key'), 'notes' => ['faultcode SOAP-ENV:Client']],
    [
        'name' => 'special-chars',
        'fault' => new SoapFault('Server', "Site \"ü.example.com\" <exists> & 日本\nsecond line"),
        'notes' => ['faultstring escapes < > & and keeps the newline and UTF-8'],
    ],
];
foreach ($faults as $c) {
    $xml = capture_response('admin_add_site', null, $c['fault']);
    record($index, $files, 'fault-' . $c['name'], 'fault', $xml, [
        'operation' => 'admin_add_site',
        'value' => ['faultcode' => 'SOAP-ENV:' . $c['fault']->faultcode, 'faultstring' => $c['fault']->faultstring],
        'notes' => array_merge($c['notes'], ['the fault envelope declares only the SOAP-ENV namespace']),
    ]);
}
$xml = capture_unknown_function_fault();
record($index, $files, 'fault-unknown-function', 'fault', $xml, [
    'operation' => 'admin_no_such_method',
    'value' => ['faultcode' => 'SOAP-ENV:Server', 'faultstring' => "Function 'admin_no_such_method' doesn't exist"],
    'notes' => ['what PHP\'s SoapServer itself answers for an operation its handler lacks'],
]);

$outDir = $argv[1] ?? __DIR__ . '/../../fixtures/php-wire';
if (!is_dir($outDir)) {
    fwrite(STDERR, "no such directory: $outDir\n");
    exit(2);
}
// Regenerate from scratch so a renamed case leaves no stale file behind.
foreach (glob($outDir . '/*.xml') as $old) {
    unlink($old);
}
foreach ($files as $file => $xml) {
    file_put_contents("$outDir/$file", $xml);
}
file_put_contents("$outDir/index.json", json_encode($index, JSON_FLAGS) . "\n");
fwrite(STDERR, sprintf("wrote %d fixtures to %s\n", count($files), realpath($outDir)));
