<?php
/**
 * How PHP's ext/soap reads XML that siteform produced. Reads a JSON list
 * [{id, kind: "request" | "response", xml}] on stdin and prints [{id, value, shape} | {id, fault}]:
 * a request is handed to a SoapServer (the arguments its handler receives), a response to a
 * SoapClient (the value __soapCall returns). Used by test/interop/codec-vs-php.test.ts.
 */

declare(strict_types=1);

require __DIR__ . '/shape.php';

ini_set('display_errors', 'stderr');
ini_set('serialize_precision', '-1');

final class ReplyingClient extends SoapClient
{
    public string $reply = '';

    public function __doRequest(string $request, string $location, string $action, int $version, bool $oneWay = false): ?string
    {
        return $this->reply;
    }
}

final class ArgsRecorder
{
    public ?array $args = null;
    public ?string $operation = null;

    public function __call(string $name, array $args): bool
    {
        $this->operation = $name;
        $this->args = $args;
        return true;
    }
}

function decode_response(string $xml): array
{
    $client = new ReplyingClient(null, ['location' => 'http://127.0.0.1/soap', 'uri' => 'urn:apnscp.api.soap']);
    $client->reply = $xml;
    try {
        $value = $client->__soapCall('decode', []);
        return ['value' => $value, 'shape' => shape($value)];
    } catch (SoapFault $f) {
        return ['fault' => ['faultcode' => $f->faultcode, 'faultstring' => $f->faultstring]];
    }
}

function decode_request(string $xml): array
{
    $recorder = new ArgsRecorder();
    $server = new SoapServer(null, ['uri' => 'urn:apnscp.api.soap']);
    $server->setObject($recorder);
    ob_start();
    $server->handle($xml);
    $answer = (string) ob_get_clean();
    if ($recorder->args === null) {
        // SoapServer could not read the request; its fault says why.
        return ['fault' => ['faultcode' => 'unread', 'faultstring' => $answer]];
    }
    return ['operation' => $recorder->operation, 'value' => $recorder->args, 'shape' => shape($recorder->args)];
}

$items = json_decode((string) stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$out = [];
$current = null;
$done = false;

// SoapServer ends the whole script (zend_bailout) on a request it cannot read, after printing
// its fault; report that fault for the item at hand and the results so far instead of dying mute.
register_shutdown_function(function () use (&$out, &$current, &$done): void {
    if ($done) {
        return;
    }
    $answer = '';
    while (ob_get_level() > 0) {
        $answer = ob_get_clean() . $answer;
    }
    $out[] = ['id' => $current, 'fault' => ['faultcode' => 'unread', 'faultstring' => $answer]];
    echo json_encode($out, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION), "\n";
});

foreach ($items as $item) {
    $current = $item['id'];
    $decoded = $item['kind'] === 'request' ? decode_request($item['xml']) : decode_response($item['xml']);
    $out[] = ['id' => $item['id']] + $decoded;
}
$done = true;
echo json_encode($out, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR), "\n";
