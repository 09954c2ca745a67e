<?php
/**
 * A site's whole life driven the way the WHMCS and Clientexec ApisCP modules drive it: PHP's
 * SoapClient, uri urn:apnscp.api.soap, the key on the endpoint (`/soap?authkey=KEY`) and the
 * header `Abort-On: error` in a stream context; or, in WSDL mode, the WSDL with the key in an
 * `Auth-Key` header. Prints one JSON document with every step's decoded result (or fault), plus
 * a type sketch of it, for test/interop/php-client-vs-emulator.test.ts to check.
 *
 *   php test/interop/php/lifecycle.php '{"mode":"non-wsdl"|"wsdl","endpoint":"http://…/soap",
 *     "wsdlUrl":"http://…/apnscp.wsdl","key":"…","cafile":null|"/path/ca.pem","domain":"lc.example.com",
 *     "invoice":"INV-LC","stopAfter":null|"whoami",
 *     "abortOn":true|false}'
 */

declare(strict_types=1);

require __DIR__ . '/shape.php';

ini_set('display_errors', 'stderr');
ini_set('serialize_precision', '-1');
ini_set('soap.wsdl_cache_enabled', '0');

$config = json_decode($argv[1] ?? '', true, 16, JSON_THROW_ON_ERROR);

/** @param array<string,mixed> $config */
function make_client(array $config, string $key): SoapClient
{
    // Billing modules always send it; without it ApisCP answers most failures with false.
    $headers = ($config['abortOn'] ?? true) ? ['Abort-On: error'] : [];
    $options = ['trace' => 1, 'exceptions' => true, 'cache_wsdl' => WSDL_CACHE_NONE, 'connection_timeout' => 10];
    if ($config['mode'] === 'wsdl') {
        $headers[] = "Auth-Key: $key";
    }
    $context = ['http' => ['header' => implode('', array_map(fn ($h) => "$h\r\n", $headers)), 'timeout' => 20]];
    if (!empty($config['cafile'])) {
        $context['ssl'] = ['cafile' => $config['cafile'], 'verify_peer' => true, 'verify_peer_name' => true, 'allow_self_signed' => false];
    }
    $options['stream_context'] = stream_context_create($context);
    if ($config['mode'] === 'wsdl') {
        return new SoapClient($config['wsdlUrl'], $options);
    }
    return new SoapClient(null, $options + [
        'location' => $config['endpoint'] . '?authkey=' . rawurlencode($key),
        'uri' => 'urn:apnscp.api.soap',
    ]);
}

$steps = [];

/** Runs one call; a SoapFault becomes data, anything else is a bug in this script or the peer. */
function step(array &$steps, string $name, callable $call): mixed
{
    try {
        $result = $call();
        $steps[] = ['name' => $name, 'result' => $result, 'shape' => shape($result)];
        return $result;
    } catch (SoapFault $f) {
        $steps[] = ['name' => $name, 'fault' => ['faultcode' => $f->faultcode, 'faultstring' => $f->faultstring]];
        return null;
    }
}

$key = (string) $config['key'];
$domain = (string) $config['domain'];
$renamed = 'renamed-' . $domain;
$invoice = (string) $config['invoice'];
$fields = ['siteinfo.domain', 'siteinfo.admin_user', 'siteinfo.email', 'billing.invoice', 'diskquota.quota', 'aliases.aliases'];

try {
    $c = make_client($config, $key);
} catch (SoapFault $f) {
    // In WSDL mode the constructor fetches the WSDL; a failure there is the test's first step.
    fwrite(STDOUT, json_encode(['steps' => [['name' => 'connect', 'fault' => ['faultcode' => $f->faultcode, 'faultstring' => $f->faultstring]]]]) . "\n");
    exit(0);
}

step($steps, 'whoami', fn () => $c->common_whoami());
if (($config['stopAfter'] ?? null) === 'whoami') {
    fwrite(STDOUT, json_encode(['steps' => $steps], JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR) . "\n");
    exit(0);
}
step($steps, 'add', fn () => $c->admin_add_site($domain, 'lcadmin', [
    'siteinfo.plan' => 'basic',
    'siteinfo.email' => "owner@$domain",
    'billing.invoice' => $invoice,
    'diskquota.quota' => 5000,
], ['notify' => false]));
$id = step($steps, 'site-id', fn () => $c->admin_get_site_id_from_domain($domain));
$site = "site$id";
step($steps, 'collect', fn () => $c->admin_collect($fields, ['billing.invoice' => $invoice]));
step($steps, 'domains', fn () => $c->admin_get_domains());
step($steps, 'duplicate-domain', fn () => $c->admin_add_site($domain, 'lcadmin2', []));
step($steps, 'unknown-parameter', fn () => $c->admin_add_site("other-$domain", 'lcadmin3', ['siteinfo.bogus' => 1]));
step($steps, 'edit', fn () => $c->admin_edit_site($invoice, ['diskquota.quota' => 10000, 'aliases.aliases' => ["www.$domain"]]));
step($steps, 'collect-edited', fn () => $c->admin_collect($fields, null, [$site]));
step($steps, 'rename', fn () => $c->admin_edit_site($site, ['siteinfo.domain' => $renamed]));
step($steps, 'collect-renamed', fn () => $c->admin_collect(['siteinfo.domain'], null, [$site]));
step($steps, 'id-after-rename', fn () => $c->admin_get_site_id_from_domain($renamed));
step($steps, 'old-domain-gone', fn () => $c->admin_get_site_id_from_domain($domain));
step($steps, 'deactivate', fn () => $c->admin_deactivate_site($invoice, ['reason' => 'lifecycle: cancelled']));
step($steps, 'collect-inactive', fn () => $c->admin_collect(['siteinfo.domain'], ['active' => false], [$site]));
step($steps, 'activate', fn () => $c->admin_activate_site($renamed));
step($steps, 'collect-active', fn () => $c->admin_collect(['siteinfo.domain'], null, [$site]));
step($steps, 'delete', fn () => $c->admin_delete_site($invoice, ['force' => true]));
step($steps, 'id-after-delete', fn () => $c->admin_get_site_id_from_domain($renamed));
step($steps, 'collect-after-delete', fn () => $c->admin_collect([], ['billing.invoice' => $invoice]));
step($steps, 'bad-key', fn () => make_client($config, str_repeat('0', 64))->common_whoami());

fwrite(STDOUT, json_encode(['steps' => $steps], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR) . "\n");
