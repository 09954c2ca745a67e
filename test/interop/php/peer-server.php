<?php
/**
 * A PHP SoapServer that speaks the ApisCP API as a stateful fake: the reference peer for
 * siteform's TypeScript client. Run it as a router script of PHP's built-in server:
 *
 *   PEER_STATE=/tmp/state.json PEER_KEY=<64 hex> [PEER_LOG=/tmp/calls.jsonl] \
 *     php -S 127.0.0.1:PORT test/interop/php/peer-server.php
 *
 * State lives in PEER_STATE (created with two plans and no sites when missing or empty), so it
 * survives between requests and a scenario can be set up or inspected from outside. Every SOAP
 * call is appended to PEER_LOG as one JSON line {method, args, return | fault}: what PHP itself
 * handed to ext/soap, for tests that compare it with what the client decoded.
 *
 * Routes:
 *   POST /soap                 SOAP, key in `Auth-Key` or `?authkey=`, or cookie esprit_id
 *   GET  /apnscp.wsdl, /soap?wsdl   an rpc/encoded WSDL (test/interop/php/wsdl.php)
 *   GET  /__peer/health        "ok"
 *   GET  /__peer/state         the state as JSON;  PUT replaces it
 *   POST /__peer/script        {"method": "...", "reply": R} queues a scripted reply for the
 *                              method's next call; R is {"kind": "null"|"false"|"value"|"fault",
 *                              "value"?, "faultcode"?, "message"?, "perform"?: bool}
 *                              (perform: run the real call first, then answer with R)
 *
 * No strict_types here on purpose: ext/soap hands over whatever PHP types the client encoded,
 * and a real ApisCP coerces them (an int site id works where a string is declared).
 */

require_once __DIR__ . '/peer/PeerApi.php';
require_once __DIR__ . '/wsdl.php';

ini_set('display_errors', 'stderr');
ini_set('serialize_precision', '-1');
ini_set('soap.wsdl_cache_enabled', '0');

const PEER_JSON = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR;

final class PeerStore
{
    /** @var resource */
    private $lock;

    public function __construct(private readonly string $path)
    {
        // One writer at a time even if someone runs the server with PHP_CLI_SERVER_WORKERS.
        $this->lock = fopen($path . '.lock', 'c');
        flock($this->lock, LOCK_EX);
    }

    public function load(): array
    {
        $text = is_file($this->path) ? (string) file_get_contents($this->path) : '';
        return trim($text) === '' ? peer_seed_state() : json_decode($text, true, 512, JSON_THROW_ON_ERROR);
    }

    public function save(array $state): void
    {
        $tmp = $this->path . '.tmp';
        file_put_contents($tmp, json_encode($state, PEER_JSON | JSON_PRETTY_PRINT) . "\n");
        rename($tmp, $this->path);
    }

    public function __destruct()
    {
        flock($this->lock, LOCK_UN);
        fclose($this->lock);
    }
}

/**
 * What SoapServer calls. Only __call is public, so every operation name reaches it and gets the
 * same treatment: auth, scripted replies, Abort-On, logging.
 */
final class PeerHandler
{
    public function __construct(
        private array &$state,
        private readonly ?string $authError,
        private readonly string $user,
        private readonly bool $abortOnError,
        private readonly ?string $logPath,
    ) {
    }

    public function __call(string $method, array $args): mixed
    {
        try {
            $result = $this->dispatch($method, $args);
            $this->log(['method' => $method, 'args' => $args, 'return' => $result]);
            return $result;
        } catch (SoapFault $fault) {
            $this->log(['method' => $method, 'args' => $args, 'fault' => ['faultcode' => $fault->faultcode, 'faultstring' => $fault->faultstring]]);
            throw $fault;
        }
    }

    private function dispatch(string $method, array $args): mixed
    {
        if ($this->authError !== null) {
            throw new SoapFault('Client', $this->authError);
        }
        $reply = null;
        if (!empty($this->state['scripted'][$method])) {
            $reply = array_shift($this->state['scripted'][$method]);
        }
        if ($reply !== null && empty($reply['perform'])) {
            return $this->scripted($reply);
        }
        $result = $this->invoke($method, $args);
        return $reply === null ? $result : $this->scripted($reply);
    }

    private function invoke(string $method, array $args): mixed
    {
        $api = new PeerApi($this->state, $this->user);
        if (!method_exists($api, $method) || str_starts_with($method, '_') || !(new ReflectionMethod($api, $method))->isPublic()) {
            // PHP's own SoapServer wording for an operation it does not have.
            throw new SoapFault('Server', "Function '$method' doesn't exist");
        }
        $before = $this->state;
        try {
            return $api->$method(...$args);
        } catch (PeerError | TypeError | ArgumentCountError $e) {
            // A failed command changes nothing.
            $this->state = $before;
            $message = $e instanceof PeerError ? $e->getMessage() : "$method: invalid arguments";
            if ($this->abortOnError) {
                throw new SoapFault('Server', $message);
            }
            return false;
        }
    }

    private function scripted(array $reply): mixed
    {
        return match ($reply['kind'] ?? '') {
            'null' => null,
            'false' => false,
            'value' => $reply['value'] ?? null,
            'fault' => throw new SoapFault($reply['faultcode'] ?? 'Server', (string) ($reply['message'] ?? 'scripted fault')),
            default => throw new SoapFault('Server', 'peer: unknown scripted reply kind'),
        };
    }

    private function log(array $entry): void
    {
        if ($this->logPath !== null) {
            file_put_contents($this->logPath, json_encode($entry, PEER_JSON) . "\n", FILE_APPEND | LOCK_EX);
        }
    }
}

function peer_env(string $name): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        http_response_code(500);
        header('Content-Type: text/plain');
        echo "peer-server.php: set $name\n";
        exit;
    }
    return $value;
}

/** Who is calling: null when allowed, else the fault text; and the user common_whoami reports. */
function peer_authenticate(array $state, string $key): array
{
    $given = $_SERVER['HTTP_AUTH_KEY'] ?? $_GET['authkey'] ?? null;
    if ($given !== null) {
        $normalized = strtolower(str_replace('-', '', trim((string) $given)));
        return hash_equals($key, $normalized) ? [null, 'admin'] : ['Invalid API key', ''];
    }
    $session = $_COOKIE['esprit_id'] ?? null;
    if ($session !== null) {
        $s = $state['sessions'][$session] ?? null;
        return $s === null ? ['Invalid or expired session (esprit_id)', ''] : [null, (string) $s['user']];
    }
    return ['Invalid API key: none given', ''];
}

function peer_soap(string $statePath, string $key, ?string $logPath): void
{
    $store = new PeerStore($statePath);
    $state = $store->load();
    [$authError, $user] = peer_authenticate($state, $key);
    $abortOn = strtolower(trim((string) ($_SERVER['HTTP_ABORT_ON'] ?? ''))) === 'error';
    $server = new SoapServer(null, ['uri' => APISCP_NS]);
    $server->setObject(new PeerHandler($state, $authError, $user, $abortOn, $logPath));
    $server->handle();
    $store->save($state);
}

function peer_route(): void
{
    $statePath = peer_env('PEER_STATE');
    $key = strtolower(str_replace('-', '', peer_env('PEER_KEY')));
    $logPath = getenv('PEER_LOG') ?: null;
    $path = (string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
    $method = $_SERVER['REQUEST_METHOD'];

    if ($method === 'GET' && ($path === '/apnscp.wsdl' || ($path === '/soap' && isset($_GET['wsdl'])))) {
        header('Content-Type: text/xml; charset=utf-8');
        echo apiscp_wsdl('http://' . $_SERVER['HTTP_HOST'] . '/soap');
        return;
    }
    if ($path === '/soap' && $method === 'POST') {
        peer_soap($statePath, $key, $logPath);
        return;
    }
    header('Content-Type: application/json');
    if ($path === '/__peer/health') {
        echo json_encode('ok'), "\n";
        return;
    }
    if ($path === '/__peer/state' && ($method === 'GET' || $method === 'PUT')) {
        $store = new PeerStore($statePath);
        if ($method === 'PUT') {
            $store->save(json_decode((string) file_get_contents('php://input'), true, 512, JSON_THROW_ON_ERROR));
        }
        echo json_encode($store->load(), PEER_JSON | JSON_PRETTY_PRINT), "\n";
        return;
    }
    if ($path === '/__peer/script' && $method === 'POST') {
        $body = json_decode((string) file_get_contents('php://input'), true, 512, JSON_THROW_ON_ERROR);
        $store = new PeerStore($statePath);
        $state = $store->load();
        $state['scripted'][$body['method']][] = $body['reply'];
        $store->save($state);
        echo json_encode($state['scripted'], PEER_JSON), "\n";
        return;
    }
    http_response_code(404);
    echo json_encode(['error' => "no route $method $path"]), "\n";
}

peer_route();
