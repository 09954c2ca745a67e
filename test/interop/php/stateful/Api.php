<?php
/**
 * The ApisCP admin methods siteform's provider calls, over a state array shaped exactly like
 * the TypeScript emulator's EmulatorState (so either side can load the other's state file):
 * sites hold their full configuration plus the list of parameters they overrode, plans are
 * read-only defaults with inheritance. Semantics follow src/emulator/apiscp/model/ rule for
 * rule. Every method either returns a value or throws SfFault; the caller (router.php) keeps
 * the state from before the call when it throws, so each call is all-or-nothing. No HTTP,
 * files or SOAP here.
 */

declare(strict_types=1);

require_once __DIR__ . '/Arguments.php';
require_once __DIR__ . '/Rules.php';

final class SfApi
{
    /** Set by a `dry-run` call: it is checked in full, then its changes are dropped. */
    public bool $dryRun = false;

    public function __construct(public array $state, private readonly int $now)
    {
    }

    public function admin_collect(SfArgs $a): array
    {
        $fields = sf_read_fields($a->raw(0), $a->given(0));
        $conditions = sf_read_query($a->raw(1));
        $specs = $a->stringList(2);
        $pool = $specs === null ? array_keys($this->state['sites']) : $this->resolveMany($specs);
        $out = [];
        foreach ($pool as $i) {
            $site = $this->state['sites'][$i];
            if (!$this->matches($site, $conditions)) {
                continue;
            }
            $row = [];
            foreach ($fields as [$service, $param, $secret]) {
                $row[$service][$param] = $secret ? null : $this->read($site, $service, $param);
            }
            $out['site' . $site['id']] = $row + ['active' => $site['active'], 'domain' => $this->read($site, 'siteinfo', 'domain')];
        }
        return $out;
    }

    public function admin_add_site(SfArgs $a): bool
    {
        $domain = sf_normalise('siteinfo', 'domain', $a->string(0));
        $admin = sf_normalise('siteinfo', 'admin_user', $a->string(1));
        $options = sf_read_options($a->raw(2));
        $flags = $a->flags(3, ['plan', 'force', 'bootstrap', 'notify']);
        foreach (['force', 'bootstrap', 'notify'] as $name) {
            $a->flagBool($flags, $name);
        }
        foreach (['siteinfo.domain' => [$domain, 'domain'], 'siteinfo.admin_user' => [$admin, 'admin_user']] as $key => [$value, $arg]) {
            if (isset($options[$key]) && $options[$key][2] !== $value) {
                throw new SfFault(sf_quote($key) . ' ' . sf_quote((string) $options[$key][2]) . " conflicts with the $arg argument " . sf_quote($value));
            }
        }
        $plan = $this->choosePlan($options, $a->flagString($flags, 'plan')) ?? 'basic';
        $id = $this->state['nextSiteId']++;
        $services = $this->planDefaults($plan);
        foreach (sf_catalog() as $service => $params) {
            foreach ($params as $param => $spec) {
                if ($spec['scope'] === 'site') {
                    $services[$service][$param] = $spec['initial'];
                }
            }
        }
        $services['siteinfo'] = ['domain' => $domain, 'admin_user' => $admin, 'plan' => $plan] + $services['siteinfo'];
        $services['mysql']['dbaseprefix'] = $services['pgsql']['dbaseprefix'] = substr($admin, 0, 15) . '_';
        $site = ['id' => $id, 'services' => $services, 'active' => true, 'suspendedAt' => null, 'suspendReason' => null,
            'createdAt' => $this->now, 'overrides' => [], 'usage' => ['storageKb' => 0, 'bandwidthBytes' => 0]];
        $this->applyOptions($site, $options);
        if (!isset($options['auth.tpasswd']) && !isset($options['auth.cpasswd'])) {
            $site['services']['auth']['cpasswd'] = sf_seal("generated:site$id:$domain:{$this->now}");
        }
        sf_check_consistency($site);
        $this->state['sites'][] = $site;
        sf_assert_unique($this->state['sites'], [$id]);
        return true;
    }

    public function admin_edit_site(SfArgs $a): bool
    {
        $spec = $a->string(0);
        $options = sf_read_options($a->raw(1));
        $flags = $a->flags(2, ['reset', 'dry-run', 'backup', 'force', 'reconfig', 'plan']);
        foreach (['backup', 'force', 'reconfig'] as $name) {
            $a->flagBool($flags, $name);
        }
        $this->dryRun = $a->flagBool($flags, 'dry-run');
        $reset = $a->flagBool($flags, 'reset');
        $plan = $this->choosePlan($options, $a->flagString($flags, 'plan'));
        $changed = [];
        foreach ($this->resolve($spec) as $i) {
            $site = $this->state['sites'][$i];
            if ($plan !== null || $reset) {
                $this->applyPlan($site, $plan ?? $site['services']['siteinfo']['plan'] ?? 'basic', $reset);
            }
            $this->applyOptions($site, $options);
            sf_check_consistency($site);
            $this->state['sites'][$i] = $site;
            $changed[] = $site['id'];
        }
        sf_assert_unique($this->state['sites'], $changed);
        return true;
    }

    /** Re-suspending keeps the first suspension time (a deferred delete is never postponed). */
    public function admin_deactivate_site(SfArgs $a): bool
    {
        $spec = $a->string(0);
        $flags = $a->flags(1, ['reason', 'template']);
        $reason = $a->flagString($flags, 'reason');
        $a->flagString($flags, 'template');
        foreach ($this->resolve($spec) as $i) {
            $site = &$this->state['sites'][$i];
            if ($site['active']) {
                [$site['active'], $site['suspendedAt'], $site['suspendReason']] = [false, $this->now, $reason];
            } elseif ($reason !== null) {
                $site['suspendReason'] = $reason;
            }
            unset($site);
        }
        return true;
    }

    public function admin_activate_site(SfArgs $a): bool
    {
        foreach ($this->resolve($a->string(0)) as $i) {
            $this->state['sites'][$i] = ['active' => true, 'suspendedAt' => null, 'suspendReason' => null] + $this->state['sites'][$i];
        }
        return true;
    }

    /** A named site the filters exclude is silently kept; the answer is true either way. */
    public function admin_delete_site(SfArgs $a): bool
    {
        $spec = $a->optionalString(0);
        $flags = $a->flags(1, ['since', 'match', 'force', 'dry-run']);
        $since = ($flags['since'] ?? null) === null ? null : sf_parse_since($flags['since'], $this->now);
        $match = $a->flagString($flags, 'match');
        $pattern = $match === null ? null : sf_parse_pattern($match);
        $force = $a->flagBool($flags, 'force');
        $this->dryRun = $a->flagBool($flags, 'dry-run');
        if ($spec === null && $since === null) {
            throw new SfFault('admin_delete_site: a since filter is required when no site is named');
        }
        if ($spec === null && $force) {
            throw new SfFault('admin_delete_site: force needs a named site (it would delete every site)');
        }
        foreach ($spec === null ? array_keys($this->state['sites']) : $this->resolve($spec) as $i) {
            $site = $this->state['sites'][$i];
            $tooYoung = $since !== null && !$force && ($site['active'] || $site['suspendedAt'] === null || $site['suspendedAt'] > $since);
            $noMatch = $pattern !== null && ($site['suspendReason'] === null || preg_match($pattern, $site['suspendReason']) !== 1);
            if (!$tooYoung && !$noMatch) {
                unset($this->state['sites'][$i]);
            }
        }
        $this->state['sites'] = array_values($this->state['sites']);
        return true;
    }

    public function admin_list_plans(SfArgs $a): array
    {
        $names = array_map('strval', array_keys($this->state['plans']));
        sort($names, SORT_STRING);
        return $names;
    }

    /** The plan's effective defaults; secrets (a plan's DNS key) as null. */
    public function admin_get_plan(SfArgs $a): array
    {
        $defaults = $this->planDefaults($a->string(0));
        foreach ($defaults as $service => $params) {
            foreach (array_keys($params) as $param) {
                if (sf_spec($service, $param)['secret']) {
                    $defaults[$service][$param] = null;
                }
            }
        }
        return $defaults;
    }

    public function admin_get_domains(SfArgs $a): array
    {
        $out = [];
        foreach ($this->state['sites'] as $site) {
            $out[$site['id']] = $site['services']['siteinfo']['domain'];
        }
        return $out;
    }

    /** Primary domains first, then aliases. */
    public function admin_get_site_id_from_domain(SfArgs $a): ?int
    {
        $domain = strtolower($a->string(0));
        if (!sf_is_hostname($domain)) {
            throw new SfFault('invalid domain ' . sf_quote($domain));
        }
        foreach ([false, true] as $aliases) {
            foreach ($this->state['sites'] as $site) {
                $names = $aliases ? $site['services']['aliases']['aliases'] : [$site['services']['siteinfo']['domain']];
                if (in_array($domain, $names, true)) {
                    return $site['id'];
                }
            }
        }
        return null;
    }

    /** Billing modules call it as a connection test; the peer has one admin. */
    public function common_whoami(SfArgs $a): string
    {
        return 'admin';
    }

    // --- sites ---

    private function read(array $site, string $service, string $param): mixed
    {
        return $service === 'siteinfo' && $param === 'enabled' ? ($site['active'] ? 1 : 0) : ($site['services'][$service][$param] ?? null);
    }

    private function matches(array $site, array $conditions): bool
    {
        foreach ($conditions as $c) {
            $ok = $c[0] === 'active' ? $site['active'] === $c[1] : sf_equal($this->read($site, $c[0], $c[1]), $c[2]);
            if (!$ok) {
                return false;
            }
        }
        return true;
    }

    /** Indexes of the sites a `site` argument names: siteN, domain, alias, then invoice group (parent first). */
    private function resolve(string $spec): array
    {
        $sites = $this->state['sites'];
        $byId = fn (int $id) => array_keys(array_filter($sites, fn ($s) => $s['id'] === $id));
        if (preg_match('/^site([1-9][0-9]*)$/', $spec, $m) === 1) {
            return $byId((int) $m[1]) ?: throw new SfFault('unknown site ' . sf_quote($spec));
        }
        $host = strtolower($spec);
        foreach ([fn ($s) => $s['services']['siteinfo']['domain'] === $host, fn ($s) => in_array($host, $s['services']['aliases']['aliases'], true)] as $test) {
            foreach ($sites as $i => $s) {
                if ($test($s)) {
                    return [$i];
                }
            }
        }
        $group = array_filter($sites, fn ($s) => $s['services']['billing']['invoice'] === $spec || $s['services']['billing']['parent_invoice'] === $spec);
        if ($group === []) {
            throw new SfFault('unknown site ' . sf_quote($spec));
        }
        uksort($group, fn ($x, $y) => [$group[$x]['services']['billing']['invoice'] === $spec ? 0 : 1, $group[$x]['id']]
            <=> [$group[$y]['services']['billing']['invoice'] === $spec ? 0 : 1, $group[$y]['id']]);
        return array_keys($group);
    }

    private function resolveMany(array $specs): array
    {
        $found = [];
        foreach ($specs as $spec) {
            foreach ($this->resolve($spec) as $i) {
                $found[$this->state['sites'][$i]['id']] = $i;
            }
        }
        ksort($found);
        return array_values($found);
    }

    private function choosePlan(array $options, ?string $flagPlan): ?string
    {
        $fromOptions = $options['siteinfo.plan'][2] ?? null;
        if ($fromOptions !== null && $flagPlan !== null && $fromOptions !== $flagPlan) {
            throw new SfFault('flag plan ' . sf_quote($flagPlan) . ' conflicts with siteinfo.plan ' . sf_quote($fromOptions));
        }
        $plan = $fromOptions ?? $flagPlan;
        if ($plan !== null && !isset($this->state['plans'][$plan])) {
            throw new SfFault('unknown plan ' . sf_quote($plan) . ' (siteinfo.plan)');
        }
        return $plan;
    }

    /** Only parameters the site never set take the plan's values, unless `reset`. */
    private function applyPlan(array &$site, string $plan, bool $reset): void
    {
        foreach ($this->planDefaults($plan) as $service => $params) {
            foreach ($params as $param => $value) {
                if ($reset || !in_array("$service.$param", $site['overrides'], true)) {
                    $site['services'][$service][$param] = $value;
                }
            }
        }
        if ($reset) {
            $site['overrides'] = array_values(array_filter($site['overrides'],
                fn ($key) => sf_spec(...explode('.', $key, 2))['scope'] !== 'plan'));
        }
        $site['services']['siteinfo']['plan'] = $plan;
    }

    private function applyOptions(array &$site, array $options): void
    {
        foreach ($options as $key => [$service, $param, $value]) {
            $site['services'][$service][$param] = $value;
            if (!in_array($key, $site['overrides'], true)) {
                $site['overrides'][] = $key;
            }
        }
    }

    // --- plans ---

    /** Every plan-controlled parameter with the value the plan gives it (skeleton, then base → plan). */
    private function planDefaults(string $name): array
    {
        $chain = [];
        for ($current = $name; $current !== null; $current = $plan['inherits']) {
            $plan = $this->state['plans'][$current] ?? throw new SfFault($current === $name
                ? 'unknown plan ' . sf_quote($name) : 'plan ' . sf_quote($name) . ' inherits unknown plan ' . sf_quote($current));
            array_unshift($chain, $plan);
        }
        $out = [];
        foreach (sf_catalog() as $service => $params) {
            foreach ($params as $param => $spec) {
                if ($spec['scope'] !== 'plan') {
                    continue;
                }
                $value = $spec['initial'];
                foreach ($chain as $plan) {
                    if (array_key_exists($param, $plan['services'][$service] ?? [])) {
                        $value = $plan['services'][$service][$param];
                    }
                }
                $out[$service][$param] = $value;
            }
        }
        return $out;
    }
}
