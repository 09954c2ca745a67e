<?php
/**
 * The rules ApisCP checks on the configuration a call would leave behind: consistency across
 * one site's parameters, and server-wide uniqueness of hostnames, admin users and invoices.
 * Mirrors the emulator's configure.ts (checkConsistency) and uniqueness.ts, with the same
 * messages. Throws SfFault; changes nothing.
 */

declare(strict_types=1);

require_once __DIR__ . '/Catalog.php';

function sf_check_consistency(array $site): void
{
    $s = $site['services'];
    $aliases = $s['aliases']['aliases'];
    if ($aliases !== [] && $s['aliases']['enabled'] === 0) {
        throw new SfFault("`aliases.aliases': aliases are disabled on this site (aliases.enabled is 0)");
    }
    if (is_int($s['aliases']['max']) && count($aliases) > $s['aliases']['max']) {
        throw new SfFault("`aliases.aliases': " . count($aliases) . " aliases exceed aliases.max {$s['aliases']['max']}");
    }
    if ($s['ipinfo']['namebased'] === 0 && $s['ipinfo']['ipaddrs'] === []) {
        throw new SfFault("`ipinfo.ipaddrs': a site that is not name-based needs at least one address");
    }
    $invoice = $s['billing']['invoice'];
    if ($invoice !== null && $invoice === $s['billing']['parent_invoice']) {
        throw new SfFault("`billing.parent_invoice': " . sf_quote($invoice) . " is the site's own billing.invoice");
    }
}

/**
 * Hostnames (domains and aliases), admin users and invoices belong to one site each. Each
 * changed site is checked against the unchanged ones and the changed ones before it in id
 * order, which is where the emulator's index reports a collision.
 */
function sf_assert_unique(array $allSites, array $changedIds): void
{
    sort($changedIds);
    $sites = array_column($allSites, null, 'id');
    foreach ($changedIds as $id) {
        $others = array_filter($sites, fn ($s) => $s['id'] !== $id && (!in_array($s['id'], $changedIds, true) || $s['id'] < $id));
        sf_check_against($sites[$id], $others);
    }
}

function sf_check_against(array $site, array $others): void
{
    $s = $site['services'];
    $domain = $s['siteinfo']['domain'];
    foreach ($others as $o) {
        $n = "site{$o['id']}";
        if ($o['services']['siteinfo']['domain'] === $domain) {
            throw new SfFault('domain ' . sf_quote($domain) . " already exists ($n)");
        }
        if (in_array($domain, $o['services']['aliases']['aliases'], true)) {
            throw new SfFault('domain ' . sf_quote($domain) . " is already in use as an alias of $n");
        }
    }
    foreach ($s['aliases']['aliases'] as $alias) {
        if ($alias === $domain) {
            throw new SfFault('alias ' . sf_quote($alias) . " is the site's own domain");
        }
        foreach ($others as $o) {
            if ($o['services']['siteinfo']['domain'] === $alias) {
                throw new SfFault('alias ' . sf_quote($alias) . " already exists as the domain of site{$o['id']}");
            }
            if (in_array($alias, $o['services']['aliases']['aliases'], true)) {
                throw new SfFault('alias ' . sf_quote($alias) . " is already in use by site{$o['id']}");
            }
        }
    }
    foreach ($others as $o) {
        if ($o['services']['siteinfo']['admin_user'] === $s['siteinfo']['admin_user']) {
            throw new SfFault('admin user ' . sf_quote($s['siteinfo']['admin_user']) . " already exists (site{$o['id']})");
        }
    }
    foreach ($others as $o) {
        if ($s['billing']['invoice'] !== null && $o['services']['billing']['invoice'] === $s['billing']['invoice']) {
            throw new SfFault('billing invoice ' . sf_quote($s['billing']['invoice']) . " is already in use by site{$o['id']}");
        }
    }
}
