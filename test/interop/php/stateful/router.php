<?php
/**
 * A stateful fake ApisCP on PHP's own SoapServer (non-WSDL, uri urn:apnscp.api.soap), for
 * running siteform plan/apply against PHP's SOAP engine. Router script for PHP's built-in server:
 *
 *   STATEFUL_PEER_STATE=/tmp/state.json STATEFUL_PEER_KEY=<64 hex digits> \
 *     php -S 127.0.0.1:PORT test/interop/php/stateful/router.php
 *
 * The state file has the TypeScript emulator's format (`siteform emulator --state` loads it,
 * and this peer loads the emulator's); a missing or empty file starts with the emulator's plans
 * and no sites. One request at a time holds an flock on STATE.lock, so even a server run with
 * PHP_CLI_SERVER_WORKERS never interleaves two calls. The clock is the system's unless
 * STATE.clock holds a unix time (PUT /__peer/clock), so `since` filters can be tested.
 *
 * Routes: POST /soap (key in `Auth-Key` or `?authkey=`; errors are faults with
 * `Abort-On: error`, else false/null as on ApisCP); GET /__peer/health; GET /__peer/state;
 * PUT /__peer/clock with a body of unix seconds, or `null` for the system clock.
 */

declare(strict_types=1);

require_once __DIR__ . '/Api.php';

ini_set('display_errors', 'stderr');
ini_set('serialize_precision', '-1');

const SF_JSON = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR;

/** The state file and its lock; the lock is held from construction until the object dies. */
final class SfStore
{
    /** @var resource */
    private $lock;

    public function __construct(private readonly string $path)
    {
        $this->lock = fopen("$path.lock", 'c') ?: throw new RuntimeException("cannot open $path.lock");
        flock($this->lock, LOCK_EX);
    }

    public function load(): array
    {
        $text = is_file($this->path) ? (string) file_get_contents($this->path) : '';
        return trim($text) === '' ? sf_default_state() : json_decode($text, true, 512, JSON_THROW_ON_ERROR);
    }

    public function save(array $state): void
    {
        foreach ($state['plans'] as $name => $plan) {
            // json_decode made `{}` an array; the emulator's loader wants it back as an object.
            $state['plans'][$name]['services'] = $plan['services'] ?: new stdClass();
        }
        file_put_contents("{$this->path}.tmp", json_encode($state, SF_JSON | JSON_PRETTY_PRINT) . "\n");
        rename("{$this->path}.tmp", $this->path);
    }

    public function now(): int
    {
        $fixed = is_file("{$this->path}.clock") ? trim((string) file_get_contents("{$this->path}.clock")) : '';
        return ctype_digit($fixed) ? (int) $fixed : time();
    }

    public function setClock(?int $now): void
    {
        $now === null ? @unlink("{$this->path}.clock") : file_put_contents("{$this->path}.clock", (string) $now);
    }

    public function __destruct()
    {
        flock($this->lock, LOCK_UN);
        fclose($this->lock);
    }
}

/** What SoapServer calls: every operation reaches __call, which authenticates and runs it. */
final class SfHandler
{
    public function __construct(
        private array &$state,
        private readonly ?string $authError,
        private readonly bool $abortOnError,
        private readonly int $now,
    ) {
    }

    public function __call(string $method, array $args): mixed
    {
        if ($this->authError !== null) {
            throw new SoapFault('Client', $this->authError);
        }
        $mutating = SF_METHODS[$method][1] ?? false;
        try {
            if (!isset(SF_METHODS[$method])) {
                throw new SfFault('unknown method ' . sf_quote($method));
            }
            $api = new SfApi($this->state, $this->now);
            $result = $api->$method(new SfArgs($method, $args));
            if (!$api->dryRun) {
                $this->state = $api->state;
            }
            return $result;
        } catch (SfFault $e) {
            if ($this->abortOnError) {
                throw new SoapFault('Server', $e->getMessage());
            }
            return $mutating ? false : null;
        } catch (Error $e) {
            error_log("stateful peer: internal error in $method: $e");
            throw new SoapFault('Server', 'internal error');
        }
    }
}

/** Null when the key is right, else ApisCP's fault text (the emulator's wording). */
function sf_auth_error(string $key): ?string
{
    $given = $_SERVER['HTTP_AUTH_KEY'] ?? $_GET['authkey'] ?? null;
    if (!is_string($given)) {
        return 'Invalid API key: none given (send the Auth-Key header or ?authkey= on the endpoint)';
    }
    $normal = strtolower((string) preg_replace('/[-\s]/', '', $given));
    return hash_equals(hash('sha256', $key), hash('sha256', $normal)) ? null : 'Invalid API key';
}

/** `Abort-On` names the lowest severity that aborts: `error` and anything stricter fault. */
function sf_aborts_on_error(): bool
{
    $levels = preg_split('/[\s,|]+/', strtolower((string) ($_SERVER['HTTP_ABORT_ON'] ?? '')));
    return array_intersect($levels, ['error', 'warning', 'warn', 'info', 'debug', 'deprecated']) !== [];
}

function sf_env(string $name): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        http_response_code(500);
        exit("router.php: set $name\n");
    }
    return $value;
}

function sf_route(): void
{
    $store = new SfStore(sf_env('STATEFUL_PEER_STATE'));
    $key = strtolower(str_replace('-', '', sf_env('STATEFUL_PEER_KEY')));
    $path = (string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
    $verb = $_SERVER['REQUEST_METHOD'];
    if ($path === '/soap' && $verb === 'POST') {
        $state = $store->load();
        $before = $state;
        $server = new SoapServer(null, ['uri' => 'urn:apnscp.api.soap']);
        $server->setObject(new SfHandler($state, sf_auth_error($key), sf_aborts_on_error(), $store->now()));
        $server->handle();
        if ($state !== $before) {
            $store->save($state);
        }
        return;
    }
    header('Content-Type: application/json');
    if ($path === '/__peer/health') {
        if (!is_file(sf_env('STATEFUL_PEER_STATE'))) {
            $store->save($store->load()); // the file is valid from the first moment
        }
        echo json_encode('ok'), "\n";
    } elseif ($path === '/__peer/state' && $verb === 'GET') {
        echo json_encode($store->load(), SF_JSON | JSON_PRETTY_PRINT), "\n";
    } elseif ($path === '/__peer/clock' && $verb === 'PUT') {
        $now = json_decode((string) file_get_contents('php://input'), true, 2, JSON_THROW_ON_ERROR);
        $store->setClock(is_int($now) ? $now : null);
        echo json_encode($store->now()), "\n";
    } else {
        http_response_code(404);
        echo json_encode(['error' => "no route $verb $path"]), "\n";
    }
}

sf_route();
