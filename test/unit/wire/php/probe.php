<?php
/**
 * A probe of PHP's ext/soap for the codec's unit tests: `php probe.php encode` prints the
 * request envelope a non-WSDL SoapClient writes for a few edge values; `php probe.php decode`
 * reads XML (stdin) as a SoapClient response and prints the PHP value as JSON with its types.
 * Used by hand to check details test/fixtures/php-wire does not cover; the encode output is
 * recorded as test/unit/wire/fixtures/php-encoded-edges.json:
 *   php test/unit/wire/php/probe.php encode > test/unit/wire/fixtures/php-encoded-edges.json
 */
declare(strict_types=1);
// ext/soap writes floats with `precision` (default 14), not serialize_precision; pin both.
ini_set('serialize_precision', '-1');
ini_set('precision', '14');
error_reporting(E_ALL);

final class Capture extends SoapClient
{
    public string $xml = '';
    public string $reply = '';
    public function __doRequest(string $request, string $location, string $action, int $version, bool $oneWay = false): ?string
    {
        $this->xml = $request;
        return $this->reply;
    }
}

function client(): Capture
{
    return new Capture(null, ['location' => 'http://127.0.0.1:1/x', 'uri' => 'urn:apnscp.api.soap', 'trace' => 1]);
}

/** The PHP value with its types spelled out, so JSON does not blur int/float or list/map. */
function shape(mixed $v): mixed
{
    if (is_array($v)) {
        $out = ['array' => []];
        foreach ($v as $k => $item) $out['array'][] = [gettype($k), $k, shape($item)];
        return $out;
    }
    if (is_object($v)) return ['object' => shape(get_object_vars($v))];
    if (is_float($v) && (is_nan($v) || is_infinite($v))) return ['double', (string)$v];
    return [gettype($v), $v];
}

$mode = $argv[1] ?? 'encode';
if ($mode === 'encode') {
    $cases = [
        'all-null-list' => [null, null],
        'string-and-null-list' => ['a', null],
        'int-and-float-list' => [1, 1.5],
        'empty-and-map-list' => [[], ['a' => 1]],
        'inf' => INF,
        'nan' => NAN,
        'neg-inf' => -INF,
        'float-1e14' => 1e14,
        'float-1e15' => 1e15,
        'float-1e17' => 1e17,
        'float-0.0001' => 0.0001,
        'float-0.00001' => 0.00001,
        'float-neg-1e-7' => -1e-7,
        'float-1.5e300' => 1.5e300,
        'stdclass' => (object)['a' => 1, 'b' => 'x'],
        'control-char' => "a\x01b",
    ];
    $out = [];
    foreach ($cases as $name => $value) {
        $c = client();
        $c->__soapCall('test_echo', [$value]);
        preg_match('#<ns1:test_echo>(.*)</ns1:test_echo>#s', $c->xml, $m);
        $out[$name] = $m[1] ?? $c->xml;
    }
    echo json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
} else {
    $c = client();
    $c->reply = stream_get_contents(STDIN);
    try {
        echo json_encode(shape($c->__soapCall('test_echo', [])), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION), "\n";
    } catch (SoapFault $f) {
        echo json_encode(['fault' => $f->faultcode, 'message' => $f->getMessage()]), "\n";
    }
}
