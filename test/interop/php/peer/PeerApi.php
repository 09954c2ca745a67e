<?php
/**
 * The ApisCP admin API as the PHP peer fakes it, over a state array the caller loads and saves.
 * It follows apiscp-api.md (the shared API contract) closely enough for wire tests and small convergence scenarios:
 * sites are a plan plus explicit overrides, `site` selectors accept ids, domains, aliases and
 * invoices, unknown parameters and duplicates abort. It throws PeerError for ApisCP errors and
 * never touches HTTP, files or SOAP.
 */

declare(strict_types=1);

require_once __DIR__ . '/catalog.php';
require_once __DIR__ . '/PeerArguments.php';

final class PeerApi
{
    use PeerArguments;

    public function __construct(private array &$state, private readonly string $user = 'admin')
    {
    }

    public function admin_collect(?array $params = null, ?array $query = null, ?array $sites = null): array
    {
        $wanted = $params === null ? null : ($params === [] ? PEER_DEFAULT_COLLECT : $params);
        $filters = $this->flattenQuery($query ?? []);
        $out = [];
        foreach ($this->state['sites'] as $site) {
            if ($sites !== null && !$this->matchesAny($site, $sites)) {
                continue;
            }
            $services = $this->services($site);
            if (!$this->matchesQuery($site, $services, $filters)) {
                continue;
            }
            $row = $this->select($services, $wanted);
            $row['active'] = $site['active'];
            $row['domain'] = $services['siteinfo']['domain'];
            $out['site' . $site['id']] = $row;
        }
        return $out;
    }

    public function admin_add_site(string $domain, string $adminUser, ?array $opts = null, ?array $flags = null): bool
    {
        $overrides = $this->flattenOpts($opts ?? []);
        $plan = (string) ($overrides['siteinfo.plan'] ?? $flags['plan'] ?? 'basic');
        unset($overrides['siteinfo.plan']);
        $this->requirePlan($plan);
        $overrides['siteinfo.domain'] = strtolower($domain);
        $overrides['siteinfo.admin_user'] = $adminUser;
        $this->checkDomain($overrides['siteinfo.domain'], null);
        foreach ($this->state['sites'] as $other) {
            if ($this->services($other)['siteinfo']['admin_user'] === $adminUser) {
                throw new PeerError("admin user `$adminUser' already exists (site{$other['id']})");
            }
        }
        foreach ($overrides['aliases.aliases'] ?? [] as $alias) {
            $this->checkDomain((string) $alias, null);
        }
        $id = $this->state['nextSiteId']++;
        $this->state['sites'][] = [
            'id' => $id, 'plan' => $plan, 'overrides' => $this->storable($overrides), 'active' => true,
            'suspendedAt' => null, 'suspendReason' => null, 'createdAt' => $this->now(),
            'usage' => ['storageKb' => 1024 * $id, 'bandwidthBytes' => 1048576 * $id],
        ];
        return true;
    }

    public function admin_edit_site(string $site, ?array $opts = null, ?array $flags = null): bool
    {
        $flags ??= [];
        $changes = $this->flattenOpts($opts ?? []);
        foreach ($this->resolve($site) as $i) {
            $record = $this->state['sites'][$i];
            $id = $record['id'];
            if (array_key_exists('siteinfo.plan', $changes)) {
                $record['plan'] = (string) $changes['siteinfo.plan'];
                $this->requirePlan($record['plan']);
                if (!empty($flags['reset'])) {
                    $record['overrides'] = array_intersect_key($record['overrides'], array_flip(PEER_NEVER_RESET));
                }
            }
            if (isset($changes['siteinfo.domain'])) {
                $changes['siteinfo.domain'] = strtolower((string) $changes['siteinfo.domain']);
                $this->checkDomain($changes['siteinfo.domain'], $id);
            }
            foreach ($changes['aliases.aliases'] ?? [] as $alias) {
                $this->checkDomain((string) $alias, $id);
            }
            $rest = $changes;
            unset($rest['siteinfo.plan']);
            $record['overrides'] = array_merge($record['overrides'], $this->storable($rest));
            if (empty($flags['dry-run'])) {
                $this->state['sites'][$i] = $record;
            }
        }
        return true;
    }

    public function admin_deactivate_site(string $site, ?array $flags = null): bool
    {
        foreach ($this->resolve($site) as $i) {
            $record = &$this->state['sites'][$i];
            if ($record['active']) {
                $record['suspendedAt'] = $this->now();
            }
            $record['active'] = false;
            $record['suspendReason'] = isset($flags['reason']) ? (string) $flags['reason'] : $record['suspendReason'];
            unset($record);
        }
        return true;
    }

    public function admin_activate_site(string $site): bool
    {
        foreach ($this->resolve($site) as $i) {
            $this->state['sites'][$i] = ['active' => true, 'suspendedAt' => null, 'suspendReason' => null] + $this->state['sites'][$i];
        }
        return true;
    }

    public function admin_delete_site(?string $site = null, ?array $flags = null): bool
    {
        $flags ??= [];
        $candidates = $site === null ? array_keys($this->state['sites']) : $this->resolve($site);
        $since = isset($flags['since']) ? $this->parseSince((string) $flags['since']) : null;
        $doomed = [];
        foreach ($candidates as $i) {
            $record = $this->state['sites'][$i];
            $bySelector = $since !== null || isset($flags['match']) || $site === null;
            if ($bySelector && ($record['active'] || ($since !== null && $record['suspendedAt'] > $since))) {
                continue;
            }
            if (isset($flags['match']) && @preg_match('/' . str_replace('/', '\/', (string) $flags['match']) . '/', (string) $record['suspendReason']) !== 1) {
                continue;
            }
            $doomed[] = $i;
        }
        if (empty($flags['dry-run'])) {
            foreach ($doomed as $i) {
                unset($this->state['sites'][$i]);
            }
            $this->state['sites'] = array_values($this->state['sites']);
        }
        return true;
    }

    public function admin_list_plans(): array
    {
        $names = array_map('strval', array_keys($this->state['plans']));
        sort($names);
        return $names;
    }

    public function admin_get_plan(string $name): array
    {
        $this->requirePlan($name);
        return $this->planDefaults($name);
    }

    public function admin_get_domains(): array
    {
        $out = [];
        foreach ($this->state['sites'] as $site) {
            $out[(int) $site['id']] = $this->services($site)['siteinfo']['domain'];
        }
        return $out;
    }

    public function admin_get_site_id_from_domain(string $domain): ?int
    {
        foreach ($this->state['sites'] as $site) {
            if (in_array(strtolower($domain), $this->domainsOf($site), true)) {
                return (int) $site['id'];
            }
        }
        return null;
    }

    public function admin_get_usage(string $field, ?array $sites = null): array
    {
        if ($field !== 'storage' && $field !== 'bandwidth') {
            throw new PeerError("unknown usage field `$field': expected storage or bandwidth");
        }
        $out = [];
        foreach ($this->state['sites'] as $site) {
            if ($sites !== null && !$this->matchesAny($site, $sites)) {
                continue;
            }
            $s = $this->services($site);
            $out['site' . $site['id']] = $field === 'storage'
                ? ['qused' => $site['usage']['storageKb'], 'qhard' => $this->toUnit($s['diskquota']['quota'] ?? 0, $s['diskquota']['units'] ?? 'MB', 1024)]
                : ['sum' => $site['usage']['bandwidthBytes'], 'threshold' => $this->toUnit($s['bandwidth']['threshold'] ?? 0, $s['bandwidth']['units'] ?? 'GB', 1)];
        }
        return $out;
    }

    public function admin_hijack(string $site, ?string $user = null, ?string $gate = null): string
    {
        $matches = $this->resolve($site);
        $record = $this->state['sites'][$matches[0]];
        $admin = $this->services($record)['siteinfo']['admin_user'];
        if ($user !== null && $user !== $admin) {
            throw new PeerError("user `$user' does not exist on site{$record['id']}");
        }
        $gate ??= 'SOAP';
        if ($gate !== 'SOAP' && $gate !== 'UI') {
            throw new PeerError("unknown gate `$gate'");
        }
        $id = bin2hex(random_bytes(16));
        $this->state['sessions'][$id] = ['site' => $record['id'], 'user' => $admin, 'gate' => $gate];
        return $id;
    }

    public function common_whoami(): string
    {
        return $this->user;
    }

    // --- sites ---

    /** Indexes into state.sites matching a selector; an invoice selects its whole group. */
    private function resolve(string $selector): array
    {
        $found = [];
        foreach ($this->state['sites'] as $i => $site) {
            if ($this->matchesAny($site, [$selector])) {
                $found[] = $i;
            }
        }
        if ($found === []) {
            throw new PeerError("unknown site `$selector'");
        }
        return $found;
    }

    private function matchesAny(array $site, array $selectors): bool
    {
        $s = $this->services($site);
        foreach ($selectors as $sel) {
            $sel = (string) $sel;
            if ($sel === 'site' . $site['id'] || $sel === (string) $site['id'] || in_array(strtolower($sel), $this->domainsOf($site), true)
                || $sel === $s['billing']['invoice'] || $sel === $s['billing']['parent_invoice']) {
                return true;
            }
        }
        return false;
    }

    private function domainsOf(array $site): array
    {
        $s = $this->services($site);
        return array_merge([$s['siteinfo']['domain']], array_map('strval', $s['aliases']['aliases'] ?? []));
    }

    private function checkDomain(string $domain, ?int $self): void
    {
        if (!preg_match('/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i', $domain)) {
            throw new PeerError("invalid domain `$domain'");
        }
        foreach ($this->state['sites'] as $site) {
            if ($site['id'] !== $self && in_array(strtolower($domain), $this->domainsOf($site), true)) {
                throw new PeerError("domain `$domain' already exists (site{$site['id']})");
            }
        }
    }

    /** The site's effective configuration: plan defaults under its own overrides. */
    private function services(array $site): array
    {
        $services = $this->planDefaults($site['plan']);
        foreach ($site['overrides'] as $key => $value) {
            [$svc, $param] = explode('.', (string) $key, 2);
            $services[$svc][$param] = $value;
        }
        $services['siteinfo']['plan'] = $site['plan'];
        return $services;
    }

    // --- plans ---

    private function requirePlan(string $name): void
    {
        if (!isset($this->state['plans'][$name])) {
            throw new PeerError("unknown plan `$name'");
        }
    }

    private function planDefaults(string $name): array
    {
        $plan = $this->state['plans'][$name];
        $base = $plan['inherits'] === null ? [] : $this->planDefaults($plan['inherits']);
        foreach ($plan['services'] as $svc => $params) {
            foreach ($params as $param => $value) {
                $base[$svc][$param] = $value;
            }
        }
        return $base;
    }

    private function matchesQuery(array $site, array $services, array $filters): bool
    {
        foreach ($filters as $key => $want) {
            if ($key === 'active') {
                $have = $site['active'];
            } else {
                [$svc, $param] = array_pad(explode('.', (string) $key, 2), 2, '');
                $have = $services[$svc][$param] ?? null;
            }
            if ($want === null ? $have !== null : ($have === null || $have != $want)) {
                return false;
            }
        }
        return true;
    }

    private function select(array $services, ?array $wanted): array
    {
        foreach (PEER_SECRETS as $secret) {
            [$svc, $param] = explode('.', $secret, 2);
            unset($services[$svc][$param]);
        }
        $services = array_filter($services, fn ($params) => $params !== []);
        if ($wanted === null) {
            return $services;
        }
        $out = [];
        foreach ($wanted as $name) {
            [$svc, $param] = array_pad(explode('.', str_replace(',', '.', (string) $name), 2), 2, null);
            if (!isset(PEER_SERVICES[$svc])) {
                throw new PeerError("unknown service `$svc'");
            }
            if ($param === null) {
                $out[$svc] = $services[$svc] ?? [];
            } else {
                $out[$svc][$param] = $services[$svc][$param] ?? null;
            }
        }
        return $out;
    }

    protected function now(): int
    {
        return (int) ($this->state['clock'] ?? time());
    }
}
