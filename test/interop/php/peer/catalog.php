<?php
/**
 * What the peer knows about ApisCP services: which parameters exist (an unknown one aborts the
 * command, as on a real server), the seed plans, and the default collect set. Deliberately
 * small: this is a test peer for the wire, not a second emulator.
 */

declare(strict_types=1);

const PEER_SERVICES = [
    'siteinfo' => ['domain', 'admin_user', 'email', 'plan', 'notes', 'enabled'],
    'auth' => ['tpasswd', 'cpasswd'],
    'billing' => ['invoice', 'parent_invoice'],
    'diskquota' => ['enabled', 'quota', 'units'],
    'bandwidth' => ['enabled', 'threshold', 'units'],
    'aliases' => ['enabled', 'aliases', 'max'],
    'ssh' => ['enabled'],
    'mysql' => ['enabled', 'dbaseprefix', 'dbasenum'],
    'pgsql' => ['enabled', 'dbaseprefix', 'dbasenum'],
    'cgroup' => ['memory', 'proclimit', 'cpu', 'cpuweight', 'io'],
    'dns' => ['enabled', 'provider', 'key'],
    'mail' => ['enabled', 'provider', 'key'],
    'apache' => ['enabled', 'jail'],
    'ftp' => ['enabled'],
    'ipinfo' => ['namebased', 'ipaddrs', 'nbaddrs'],
    'spamfilter' => ['enabled', 'provider'],
    'ssl' => ['enabled'],
    'crontab' => ['enabled', 'permit'],
    'users' => ['enabled', 'max'],
];

/** What `admin_collect([])` returns per site. */
const PEER_DEFAULT_COLLECT = ['siteinfo.email', 'siteinfo.admin_user', 'aliases.aliases', 'billing.invoice', 'billing.parent_invoice'];

/** Never shown by collect; kept out of state entirely except as a crypted marker. */
const PEER_SECRETS = ['auth.tpasswd', 'auth.cpasswd', 'dns.key', 'mail.key'];

/** Survive a plan `reset`, as on a real server. */
const PEER_NEVER_RESET = ['auth.tpasswd', 'auth.cpasswd', 'aliases.aliases', 'billing.invoice', 'billing.parent_invoice',
    'siteinfo.domain', 'siteinfo.admin_user', 'siteinfo.email', 'siteinfo.plan'];

function peer_seed_state(): array
{
    return [
        'version' => 1,
        'nextSiteId' => 1,
        // Fixed unless a test sets it, so relative `since` times are reproducible.
        'clock' => null,
        'plans' => [
            'basic' => [
                'inherits' => null,
                'services' => [
                    'siteinfo' => ['email' => 'blackhole@apiscp.com', 'notes' => null, 'enabled' => true],
                    'billing' => ['invoice' => null, 'parent_invoice' => null],
                    'diskquota' => ['enabled' => true, 'quota' => 5000, 'units' => 'MB'],
                    'bandwidth' => ['enabled' => true, 'threshold' => 100, 'units' => 'GB'],
                    'aliases' => ['enabled' => true, 'aliases' => [], 'max' => null],
                    'ssh' => ['enabled' => true],
                    'mysql' => ['enabled' => true, 'dbaseprefix' => null, 'dbasenum' => 20],
                    'cgroup' => ['memory' => 512, 'proclimit' => 100, 'cpu' => null],
                ],
            ],
            'premium' => [
                'inherits' => 'basic',
                'services' => [
                    'diskquota' => ['quota' => 20000],
                    'cgroup' => ['memory' => 2048, 'cpu' => 1.5],
                    'ssh' => ['enabled' => true],
                ],
            ],
        ],
        // Site id (as a string, JSON keeps it that way) → record.
        'sites' => [],
        'sessions' => [],
        // Method → queue of scripted replies, consumed one per call (see peer-server.php).
        'scripted' => [],
    ];
}
