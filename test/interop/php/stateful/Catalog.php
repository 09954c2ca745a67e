<?php
/**
 * The service catalogue of the stateful peer: every service and parameter it knows, which are
 * plan-controlled, per-site or derived, which are secrets, how a value is checked and
 * normalised, and the plans a fresh state starts with. A transcription of the TypeScript
 * emulator's model/catalog.ts, syntax.ts, coerce.ts and defaults.ts, so siteform reads the same
 * values from both; README.md ("Stateful peer") lists where the two knowingly differ.
 * Knows nothing of sites, SOAP or files.
 */

declare(strict_types=1);

/** An error ApisCP itself would raise; with `Abort-On: error` it becomes a SOAP fault. */
final class SfFault extends Exception
{
}

/** ApisCP's quoting in messages: `value'. */
function sf_quote(string $text): string
{
    return "`$text'";
}

/** A short single-line rendering of a non-secret value, as the emulator's describeValue. */
function sf_show(mixed $value): string
{
    $text = json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
    return sf_chars($text) > 80 && preg_match('/^.{79}/su', $text, $m) === 1 ? $m[0] . '…' : $text;
}

/** Characters (not bytes) in UTF-8 text, without needing ext/mbstring. */
function sf_chars(string $text): int
{
    return (int) preg_match_all('/./su', $text);
}

// --- the shapes of names (syntax.ts) ---

const SF_HOSTNAME = '/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/';

function sf_is_hostname(string $s): bool
{
    return strlen($s) <= 253 && preg_match(SF_HOSTNAME, $s) === 1;
}

function sf_is_email(string $s): bool
{
    $at = strrpos($s, '@');
    return $at !== false && $at > 0
        && preg_match('/^[A-Za-z0-9.!#$%&\'*+\/=?^_`{|}~-]{1,64}$/', substr($s, 0, $at)) === 1
        && sf_is_hostname(strtolower(substr($s, $at + 1)));
}

function sf_matches(string $pattern): Closure
{
    return fn (string $s): bool => preg_match($pattern, $s) === 1;
}

// --- checks: fn(mixed) => [true, normalised] | [false, reason] (coerce.ts, catalog.ts) ---

/** ApisCP stores enabled-style flags as 1 and 0. */
function sf_to_flag(mixed $v): array
{
    if ($v === true || $v === 1 || $v === '1') {
        return [true, 1];
    }
    if ($v === false || $v === 0 || $v === '0') {
        return [true, 0];
    }
    return [false, 'expected a boolean (true/false, 1/0 or "1"/"0")'];
}

/** A number, or a numeric string; an integral float becomes an int (JavaScript has only one). */
function sf_to_number(mixed $v, bool $integer, int $min, ?int $max = null): array
{
    if (is_string($v) && preg_match('/^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/', trim($v)) === 1) {
        $v = 0 + trim($v);
    }
    if (!is_int($v) && !is_float($v)) {
        return [false, $integer ? 'expected an integer' : 'expected a number'];
    }
    if (is_float($v) && !is_finite($v)) {
        return [false, 'expected a finite number'];
    }
    if (is_float($v) && floor($v) === $v && abs($v) < 2 ** 53) {
        $v = (int) $v;
    }
    if ($integer && !is_int($v)) {
        return [false, 'expected an integer'];
    }
    if ($v < $min) {
        return [false, "must be at least $min"];
    }
    return $max !== null && $v > $max ? [false, "must be at most $max"] : [true, $v];
}

function sf_nullable(Closure $check): Closure
{
    return fn (mixed $v): array => $v === null ? [true, null] : $check($v);
}

function sf_text(Closure $test, string $what, bool $lower = false): Closure
{
    return function (mixed $v) use ($test, $what, $lower): array {
        if (!is_string($v)) {
            return [false, "expected $what"];
        }
        $n = $lower ? strtolower($v) : $v;
        return $test($n) ? [true, $n] : [false, "not $what"];
    };
}

function sf_one_of(array $values): Closure
{
    return fn (mixed $v): array => is_string($v) && in_array($v, $values, true)
        ? [true, $v] : [false, 'expected one of ' . implode(', ', $values)];
}

/** A list whose every item passes `$item`; `$unique` refuses repeats (alias lists). */
function sf_list(Closure $item, string $what, string $plural, bool $unique): Closure
{
    return function (mixed $v) use ($item, $what, $plural, $unique): array {
        if (!is_array($v) || !array_is_list($v)) {
            return [false, "expected a list of $plural"];
        }
        $out = [];
        foreach ($v as $one) {
            [$ok, $n] = $item($one);
            if (!$ok) {
                return [false, sf_show($one) . " is not a valid $what"];
            }
            if ($unique && in_array($n, $out, true)) {
                return [false, sf_quote($n) . ' is listed twice'];
            }
            $out[] = $n;
        }
        return [true, $out];
    };
}

/** Secrets are sealed as the emulator seals them; an already sealed value is kept. */
function sf_secret(int $minLength, string $what, ?Closure $test = null): Closure
{
    return function (mixed $v) use ($minLength, $what, $test): array {
        if (!is_string($v)) {
            return [false, "expected $what"];
        }
        if (preg_match('/^sealed:sha256:[0-9a-f]{64}$/', $v) === 1) {
            return [true, $v];
        }
        return strlen($v) >= $minLength && ($test === null || $test($v))
            ? [true, sf_seal($v)] : [false, "expected $what"];
    };
}

function sf_seal(string $secret): string
{
    return 'sealed:sha256:' . hash('sha256', $secret);
}

// --- the catalogue ---

/** service => param => ['scope' => plan|site|derived, 'initial' => v, 'check' => Closure, 'secret' => bool] */
function sf_catalog(): array
{
    static $catalog = null;
    if ($catalog !== null) {
        return $catalog;
    }
    $p = fn (string $scope, mixed $initial, Closure $check, bool $secret = false): array
        => ['scope' => $scope, 'initial' => $initial, 'check' => $check, 'secret' => $secret];
    $flag = fn (int $on): array => $p('plan', $on, sf_to_flag(...));
    $limit = fn (?int $initial, int $min, ?int $max = null): array
        => $p('plan', $initial, sf_nullable(fn ($v) => sf_to_number($v, true, $min, $max)));
    $amount = sf_nullable(fn ($v) => sf_to_number($v, false, 0));
    $hostname = sf_text(sf_is_hostname(...), 'a valid hostname', true);
    $email = sf_text(sf_is_email(...), 'a valid e-mail address');
    $emails = fn ($v): array => is_string($v) ? $email($v)
        : (is_array($v) && $v !== [] ? sf_list($email, 'e-mail address', 'e-mail addresses', false)($v) : [false, 'expected an e-mail address or a list of them']);
    $invoice = sf_nullable(sf_text(sf_matches('/^[\x21-\x7e]{1,128}$/'), 'an invoice (1-128 printable characters, no spaces)'));
    $dbPrefix = $p('site', null, sf_text(sf_matches('/^[a-z][a-z0-9_]{0,14}_$/'), "a database prefix ending in `_'"));
    $provider = $p('plan', 'builtin', sf_text(sf_matches('/^[a-z][a-z0-9_-]{0,31}$/'), 'a provider name'));
    $providerKey = $p('plan', null, sf_nullable(sf_secret(1, 'a non-empty key')), true);
    $ipv4 = sf_text(sf_matches('/^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/'), 'an IPv4 address');
    $measured = fn (string $param, int $initial): array => [
        'enabled' => $flag(1), $param => $p('plan', $initial, $amount),
        'units' => $p('plan', 'GB', sf_one_of(['B', 'KB', 'MB', 'GB', 'TB'])),
    ];
    $notes = fn ($v): array => is_string($v) && sf_chars($v) <= 4096 ? [true, $v] : [false, 'expected text of at most 4096 characters'];
    return $catalog = [
        'siteinfo' => [
            'domain' => $p('site', null, $hostname),
            'admin_user' => $p('site', null, sf_text(sf_matches('/^[a-z][a-z0-9_]{0,31}$/'), 'a valid admin user name')),
            'email' => $p('site', 'blackhole@apiscp.com', $emails),
            'plan' => $p('site', null, sf_text(sf_matches('/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/'), 'a valid plan name')),
            'notes' => $p('site', null, sf_nullable($notes)),
            'enabled' => $p('derived', 1, sf_to_flag(...)),
        ],
        'auth' => [
            'tpasswd' => $p('site', null, sf_secret(8, 'a password of at least 8 characters'), true),
            'cpasswd' => $p('site', null, sf_secret(2, "a crypt(3) hash starting with `\$'", fn ($s) => str_starts_with($s, '$')), true),
        ],
        'billing' => ['invoice' => $p('site', null, $invoice), 'parent_invoice' => $p('site', null, $invoice)],
        'diskquota' => $measured('quota', 5),
        'bandwidth' => $measured('threshold', 50),
        'aliases' => ['enabled' => $flag(1), 'aliases' => $p('site', [], sf_list($hostname, 'hostname', 'hostnames', true)), 'max' => $limit(5, 0)],
        'ssh' => ['enabled' => $flag(1)],
        'mysql' => ['enabled' => $flag(1), 'dbaseprefix' => $dbPrefix, 'dbasenum' => $limit(10, 0, 999)],
        'pgsql' => ['enabled' => $flag(1), 'dbaseprefix' => $dbPrefix, 'dbasenum' => $limit(10, 0, 999)],
        'cgroup' => ['enabled' => $flag(1), 'memory' => $limit(512, 0), 'cpu' => $p('plan', 100, $amount),
            'proclimit' => $limit(50, 0, 4096), 'io' => $limit(null, 0)],
        'dns' => ['enabled' => $flag(1), 'provider' => $provider, 'key' => $providerKey],
        'mail' => ['enabled' => $flag(1), 'provider' => $provider, 'key' => $providerKey],
        'apache' => ['enabled' => $flag(1), 'jail' => $flag(0)],
        'ftp' => ['enabled' => $flag(1)],
        'ipinfo' => ['namebased' => $flag(1), 'ipaddrs' => $p('site', [], sf_list($ipv4, 'IPv4 address', 'IPv4 addresses', false))],
        'spamfilter' => ['enabled' => $flag(1), 'provider' => $p('plan', 'rspamd', sf_one_of(['spamassassin', 'rspamd']))],
        'ssl' => ['enabled' => $flag(1)],
        'crontab' => ['enabled' => $flag(1)],
        'users' => ['enabled' => $flag(1), 'max' => $limit(null, 0)],
    ];
}

/** The service's parameters; an unknown service aborts the command, as on ApisCP. */
function sf_service(string $service): array
{
    return sf_catalog()[$service] ?? throw new SfFault('unknown service ' . sf_quote($service));
}

function sf_spec(string $service, string $param): array
{
    return sf_service($service)[$param] ?? throw new SfFault('unknown service parameter ' . sf_quote("$service.$param"));
}

/** Validates and normalises one value; the fault names the field and, unless secret, the value. */
function sf_normalise(string $service, string $param, mixed $value): mixed
{
    $spec = sf_spec($service, $param);
    [$ok, $result] = $spec['check']($value);
    if ($ok) {
        return $result;
    }
    $shown = $spec['secret'] ? '(secret not shown)' : sf_show($value);
    throw new SfFault("invalid value $shown for " . sf_quote("$service.$param") . ": $result");
}

/** The emulator's plan ladder: `basic` spells out every plan parameter, the others what differs. */
function sf_default_state(): array
{
    $skeleton = [];
    foreach (sf_catalog() as $service => $params) {
        foreach ($params as $param => $spec) {
            if ($spec['scope'] === 'plan') {
                $skeleton[$service][$param] = $spec['initial'];
            }
        }
    }
    return ['version' => 1, 'nextSiteId' => 1, 'sites' => [], 'plans' => [
        'basic' => ['inherits' => null, 'services' => $skeleton],
        'starter' => ['inherits' => 'basic', 'services' => [
            'diskquota' => ['quota' => 1], 'bandwidth' => ['threshold' => 10], 'aliases' => ['max' => 1],
            'ssh' => ['enabled' => 0], 'mysql' => ['dbasenum' => 2], 'pgsql' => ['enabled' => 0, 'dbasenum' => 0],
            'cgroup' => ['memory' => 256, 'cpu' => 50, 'proclimit' => 25], 'users' => ['max' => 5],
        ]],
        'business' => ['inherits' => 'basic', 'services' => [
            'diskquota' => ['quota' => 25], 'bandwidth' => ['threshold' => 250], 'aliases' => ['max' => 25],
            'mysql' => ['dbasenum' => 50], 'pgsql' => ['dbasenum' => 50],
            'cgroup' => ['memory' => 2048, 'cpu' => 200, 'proclimit' => 150, 'io' => 20480],
            'apache' => ['jail' => 1], 'users' => ['max' => 100],
        ]],
        'reseller' => ['inherits' => 'business', 'services' => [
            'diskquota' => ['quota' => 100], 'bandwidth' => ['threshold' => 1, 'units' => 'TB'], 'aliases' => ['max' => null],
            'mysql' => ['dbasenum' => 200], 'pgsql' => ['dbasenum' => 200],
            'cgroup' => ['memory' => 4096, 'cpu' => 400, 'proclimit' => 400, 'io' => null], 'users' => ['max' => null],
        ]],
    ]];
}
