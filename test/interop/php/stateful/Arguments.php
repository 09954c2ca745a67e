<?php
/**
 * How the stateful peer reads the arguments ext/soap decoded: positional arguments and their
 * types, `flags` maps, the `opts` of add/edit (flat dotted or nested), collect's `params` and
 * `query`, and delete's `since` and `match`. Mirrors the emulator's model/args.ts, flags.ts,
 * opts.ts, collect.ts (readFields), query.ts, since.ts and pattern.ts. Pure functions of their
 * input and the clock; they throw SfFault for what the server would refuse.
 */

declare(strict_types=1);

require_once __DIR__ . '/Catalog.php';

/** method => positional parameter names (the WSDL part names), and whether it changes state. */
const SF_METHODS = [
    'admin_collect' => [['params', 'query', 'sites'], false],
    'admin_add_site' => [['domain', 'admin_user', 'opts', 'flags'], true],
    'admin_edit_site' => [['site', 'opts', 'flags'], true],
    'admin_deactivate_site' => [['site', 'flags'], true],
    'admin_activate_site' => [['site'], true],
    'admin_delete_site' => [['site', 'flags'], true],
    'admin_list_plans' => [[], false],
    'admin_get_plan' => [['name'], false],
    'admin_get_domains' => [[], false],
    'admin_get_site_id_from_domain' => [['domain'], false],
    'common_whoami' => [[], false],
];

const SF_DEFAULT_FIELDS = ['siteinfo.email', 'siteinfo.admin_user', 'aliases.aliases', 'billing.invoice', 'billing.parent_invoice'];

final class SfArgs
{
    public function __construct(private readonly string $method, private readonly array $values)
    {
        $expected = count(SF_METHODS[$method][0]);
        if (count($values) > $expected) {
            throw new SfFault("$method: expected at most $expected argument(s), got " . count($values));
        }
    }

    /** Whether the caller sent argument `$i` at all (PHP's default applies when not). */
    public function given(int $i): bool
    {
        return array_key_exists($i, $this->values);
    }

    public function raw(int $i): mixed
    {
        return $this->values[$i] ?? null;
    }

    public function string(int $i): string
    {
        $v = $this->raw($i) ?? throw new SfFault("{$this->method}: missing argument {$this->name($i)}");
        return is_string($v) ? $v : throw $this->wrongType($i, 'a string', $v);
    }

    public function optionalString(int $i): ?string
    {
        return $this->raw($i) === null ? null : $this->string($i);
    }

    /** A map; absent, null and the empty PHP array are []. */
    public function map(int $i): array
    {
        $v = $this->raw($i);
        if ($v === null || $v === []) {
            return [];
        }
        return is_array($v) && !array_is_list($v) ? $v : throw $this->wrongType($i, 'a map', $v);
    }

    /** A list of strings; absent, null and empty mean "no restriction" (null). */
    public function stringList(int $i): ?array
    {
        $v = $this->raw($i);
        if ($v === null || $v === []) {
            return null;
        }
        $ok = is_array($v) && array_is_list($v) && array_filter($v, 'is_string') === $v;
        return $ok ? $v : throw $this->wrongType($i, 'a list of strings', $v);
    }

    /** Checks flag names against those the method accepts; answers the map. */
    public function flags(int $i, array $allowed): array
    {
        $flags = $this->map($i);
        foreach (array_keys($flags) as $name) {
            if (!in_array((string) $name, $allowed, true)) {
                throw new SfFault("{$this->method}: unknown flag " . sf_quote((string) $name) . ' (accepted: ' . implode(', ', $allowed) . ')');
            }
        }
        return $flags;
    }

    public function flagBool(array $flags, string $name): bool
    {
        $v = $flags[$name] ?? null;
        if ($v === null) {
            return false;
        }
        [$ok, $flag] = sf_to_flag($v);
        return $ok ? $flag === 1 : throw new SfFault("{$this->method}: flag " . sf_quote($name) . " $flag, got " . sf_show($v));
    }

    public function flagString(array $flags, string $name): ?string
    {
        $v = $flags[$name] ?? null;
        return $v === null || is_string($v) ? $v
            : throw new SfFault("{$this->method}: flag " . sf_quote($name) . ' must be a string, got ' . sf_show($v));
    }

    private function name(int $i): string
    {
        return SF_METHODS[$this->method][0][$i] ?? "param$i";
    }

    private function wrongType(int $i, string $what, mixed $v): SfFault
    {
        return new SfFault("{$this->method}: argument {$this->name($i)} must be $what, got " . sf_show($v));
    }
}

/** `opts` → ['service.param' => [service, param, normalised value]], in the order given. */
function sf_read_options(mixed $opts): array
{
    if ($opts === null || $opts === []) {
        return [];
    }
    if (!is_array($opts) || array_is_list($opts)) {
        throw new SfFault('argument opts must be a map of service.param => value');
    }
    $out = [];
    foreach ($opts as $key => $value) {
        $key = (string) $key;
        if (str_contains($key, '.')) {
            [$service, $param] = explode('.', $key, 2);
            sf_add_option($out, $service, $param, $value);
            continue;
        }
        sf_service($key);
        if ($value === []) {
            continue;
        }
        if (!is_array($value) || array_is_list($value)) {
            throw new SfFault('option ' . sf_quote($key) . ' must be a map of parameters (or use ' . sf_quote("$key.PARAM") . ')');
        }
        foreach ($value as $param => $inner) {
            sf_add_option($out, $key, (string) $param, $inner);
        }
    }
    return $out;
}

function sf_add_option(array &$out, string $service, string $param, mixed $raw): void
{
    $key = "$service.$param";
    if (sf_spec($service, $param)['scope'] === 'derived') {
        throw new SfFault(sf_quote($key) . ' cannot be set: it follows admin_deactivate_site/admin_activate_site');
    }
    $value = sf_normalise($service, $param, $raw);
    if (isset($out[$key]) && !sf_equal($out[$key][2], $value)) {
        throw new SfFault(sf_quote($key) . ' given twice with different values');
    }
    $out[$key] = [$service, $param, $value];
}

/** Structural equality; numbers compare by value (PHP keeps 5 and 5.0 apart, JavaScript does not). */
function sf_equal(mixed $a, mixed $b): bool
{
    if ((is_int($a) || is_float($a)) && (is_int($b) || is_float($b))) {
        return $a == $b;
    }
    if (is_array($a) && is_array($b)) {
        if (count($a) !== count($b) || array_is_list($a) !== array_is_list($b)) {
            return false;
        }
        foreach ($a as $k => $v) {
            if (!array_key_exists($k, $b) || !sf_equal($v, $b[$k])) {
                return false;
            }
        }
        return true;
    }
    return $a === $b;
}

/** collect's `params` → list of [service, param, secret]; null is every non-secret parameter. */
function sf_read_fields(mixed $params, bool $given): array
{
    $fields = [];
    if ($given && $params === null) {
        foreach (sf_catalog() as $service => $specs) {
            foreach ($specs as $param => $spec) {
                if (!$spec['secret']) {
                    $fields["$service.$param"] = [$service, $param, false];
                }
            }
        }
        return $fields;
    }
    $entries = $params === null || $params === [] ? SF_DEFAULT_FIELDS : $params;
    if (!is_array($entries) || !array_is_list($entries)) {
        throw new SfFault('argument params must be a list of service.param or service names, or null');
    }
    foreach ($entries as $entry) {
        if (!is_string($entry)) {
            throw new SfFault('params entry ' . sf_show($entry) . ' must be a string');
        }
        if (str_contains($entry, '.')) {
            [$service, $param] = explode('.', $entry, 2);
            $fields[$entry] = [$service, $param, sf_spec($service, $param)['secret']];
            continue;
        }
        foreach (sf_service($entry) as $param => $spec) {
            $fields["$entry.$param"] = [$entry, $param, $spec['secret']];
        }
    }
    return $fields;
}

/** collect's `query` → list of ['active', bool] | [service, param, normalised value]. */
function sf_read_query(mixed $query): array
{
    if ($query === null || $query === []) {
        return [];
    }
    if (!is_array($query) || array_is_list($query)) {
        throw new SfFault('argument query must be a map of field => value');
    }
    $conditions = [];
    foreach ($query as $key => $value) {
        $key = (string) $key;
        if ($key === 'active') {
            [$ok, $flag] = sf_to_flag($value);
            $conditions[] = $ok ? ['active', $flag === 1] : throw new SfFault('invalid value ' . sf_show($value) . " for query field `active': $flag");
        } elseif (preg_match('/^([^.,]*)[.,](.*)$/s', $key, $m) === 1) {
            $conditions[] = sf_condition($m[1], $m[2], $value);
        } else {
            sf_service($key);
            if ($value === []) {
                continue;
            }
            if (!is_array($value) || array_is_list($value)) {
                throw new SfFault('query field ' . sf_quote($key) . ' must be a map of parameters (or use ' . sf_quote("$key.PARAM") . ')');
            }
            foreach ($value as $param => $inner) {
                $conditions[] = sf_condition($key, (string) $param, $inner);
            }
        }
    }
    return $conditions;
}

function sf_condition(string $service, string $param, mixed $raw): array
{
    $spec = sf_spec($service, $param);
    $key = "$service.$param";
    if ($spec['secret']) {
        throw new SfFault('cannot query on secret ' . sf_quote($key));
    }
    if ($raw === null) {
        return [$service, $param, null];
    }
    [$ok, $value] = $spec['check']($raw);
    return $ok ? [$service, $param, $value] : throw new SfFault('invalid value ' . sf_show($raw) . ' for query field ' . sf_quote($key) . ": $value");
}

/** delete's `since`: "now", "N units ago" or a unix time; calendar units count in UTC. */
function sf_parse_since(mixed $value, int $now): int
{
    if (is_int($value) && $value >= 0) {
        return $value;
    }
    if (is_string($value)) {
        $text = trim($value);
        if (strtolower($text) === 'now') {
            return $now;
        }
        if (preg_match('/^\d+$/', $text) === 1) {
            return (int) $text;
        }
        $units = ['second' => 1, 'sec' => 1, 'minute' => 60, 'min' => 60, 'hour' => 3600, 'day' => 86400, 'week' => 604800, 'fortnight' => 1209600];
        if (preg_match('/^(\d{1,6})\s*(second|sec|minute|min|hour|day|week|fortnight|month|year)s?\s+ago$/i', $text, $m) === 1) {
            $unit = strtolower($m[2]);
            if (isset($units[$unit])) {
                return $now - (int) $m[1] * $units[$unit];
            }
            return (new DateTimeImmutable("@$now"))->setTimezone(new DateTimeZone('UTC'))->modify("-{$m[1]} $unit")->getTimestamp();
        }
    }
    throw new SfFault('invalid since ' . sf_show($value) . ': expected "now", a relative time such as "30 days ago", or a unix time');
}

/** delete's `match`: a delimited PCRE (`/cancel/i`) or a bare pattern; only modifiers i, m, s, u. */
function sf_parse_pattern(string $text): string
{
    if ($text === '') {
        throw new SfFault('invalid match pattern: empty');
    }
    if (preg_match('/^([\/#~!%|@])([\s\S]*)\1([A-Za-z]*)$/', $text, $m) === 1) {
        [, $delimiter, $body, $modifiers] = $m;
    } else {
        [$delimiter, $body, $modifiers] = ['/', $text, ''];
    }
    if (preg_match('/^[imsu]*$/', $modifiers) !== 1) {
        throw new SfFault('invalid match pattern ' . sf_show($text) . ': unsupported modifier in ' . json_encode($modifiers));
    }
    $pattern = '~' . str_replace('~', '\~', $delimiter === '~' ? $body : str_replace('\\' . $delimiter, $delimiter, $body)) . '~' . count_chars($modifiers, 3);
    if (@preg_match($pattern, '') === false) {
        throw new SfFault('invalid match pattern ' . sf_show($text) . ': ' . preg_last_error_msg());
    }
    return $pattern;
}
