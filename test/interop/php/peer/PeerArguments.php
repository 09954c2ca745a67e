<?php
/**
 * How the peer reads ApisCP arguments: the three spellings of service options, collect queries,
 * `since` times, quota units, and keeping secrets out of state. Pure functions of their input
 * (and the peer's clock); they throw PeerError for what a real server would refuse.
 */

declare(strict_types=1);

require_once __DIR__ . '/catalog.php';

final class PeerError extends Exception
{
}

trait PeerArguments
{
    /** Unix seconds, from the state's fixed clock when a test set one. */
    abstract protected function now(): int;


    /** Accepts `svc.param`, `svc,param` and `{svc: {param: v}}`; any unknown name aborts. */
    private function flattenOpts(array $opts): array
    {
        $flat = [];
        foreach ($opts as $key => $value) {
            $key = str_replace(',', '.', (string) $key);
            if (!str_contains($key, '.') && is_array($value) && isset(PEER_SERVICES[$key])) {
                foreach ($value as $param => $v) {
                    $flat["$key.$param"] = $v;
                }
                continue;
            }
            $flat[$key] = $value;
        }
        foreach (array_keys($flat) as $key) {
            [$svc, $param] = array_pad(explode('.', $key, 2), 2, '');
            if (!isset(PEER_SERVICES[$svc])) {
                throw new PeerError("unknown service `$svc'");
            }
            if (!in_array($param, PEER_SERVICES[$svc], true)) {
                throw new PeerError("unknown service parameter `$svc.$param'");
            }
        }
        return $flat;
    }

    /** Secrets are kept only as a marker: the peer never hands one back. */
    private function storable(array $overrides): array
    {
        foreach (PEER_SECRETS as $secret) {
            if (array_key_exists($secret, $overrides)) {
                $overrides[$secret] = '[secret]';
            }
        }
        if (array_key_exists('auth.tpasswd', $overrides)) {
            $overrides['auth.cpasswd'] = '[secret]';
            unset($overrides['auth.tpasswd']);
        }
        return $overrides;
    }

    private function flattenQuery(array $query): array
    {
        $flat = [];
        foreach ($query as $key => $value) {
            $key = str_replace(',', '.', (string) $key);
            if ($key !== 'active' && !str_contains($key, '.') && is_array($value) && $value !== []) {
                foreach ($value as $param => $v) {
                    $flat["$key.$param"] = $v;
                }
                continue;
            }
            $flat[$key] = $value;
        }
        return $flat;
    }

    private function parseSince(string $since): int
    {
        if ($since === 'now') {
            return $this->now();
        }
        if (ctype_digit($since)) {
            return (int) $since;
        }
        $t = strtotime($since, $this->now());
        if ($t === false) {
            throw new PeerError("cannot parse since `$since'");
        }
        return $t;
    }

    private function toUnit(int|float $amount, string $units, int $base): int
    {
        $pow = ['B' => 0, 'KB' => 1, 'MB' => 2, 'GB' => 3, 'TB' => 4][strtoupper($units)] ?? 2;
        // storage is reported in KB (base 1024 means "divide bytes by 1024 once").
        $bytes = $amount * (1024 ** $pow);
        return (int) ($base === 1024 ? $bytes / 1024 : $bytes);
    }
}
