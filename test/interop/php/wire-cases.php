<?php
/**
 * The values whose PHP ext/soap encoding capture.php records. Each value case is sent once as
 * the only argument of a request and once as a SoapServer's return value, so the fixtures
 * show both directions of every shape. `notes` say where the JSON form in index.json cannot
 * carry what PHP put on the wire (int vs float, int keys, precision).
 */

declare(strict_types=1);

/** Realistic calls, shaped the way the billing modules and siteform make them. */
function request_cases(): array
{
    return [
        [
            'name' => 'add-site',
            'operation' => 'admin_add_site',
            'args' => [
                'example.com',
                'admin1',
                ['siteinfo.plan' => 'basic', 'diskquota.quota' => 5000, 'billing.invoice' => 'INV-1'],
                ['notify' => false],
            ],
            'notes' => ['opts is a map whose values mix xsd:string and xsd:int'],
        ],
        [
            'name' => 'collect-query',
            'operation' => 'admin_collect',
            'args' => [null, ['billing.parent_invoice' => null, 'active' => true], ['site1', 'example.com']],
            'notes' => ['a null argument is sent as an empty element with xsi:nil="true"', 'a map value of null is <value xsi:nil="true"/>'],
        ],
        [
            'name' => 'collect-defaults',
            'operation' => 'admin_collect',
            'args' => [[], [], null],
            'notes' => ['both empty arrays go out as SOAP-ENC:Array with arrayType xsd:ur-type[0]: PHP cannot send an empty map'],
        ],
        [
            'name' => 'collect-nested-query',
            'operation' => 'admin_collect',
            'args' => [['siteinfo.domain', 'billing'], ['billing' => ['parent_invoice' => 'INV-1']], null],
            'notes' => [],
        ],
        [
            'name' => 'edit-site',
            'operation' => 'admin_edit_site',
            'args' => [
                'site12',
                ['siteinfo.domain' => 'new.example.com', 'aliases.aliases' => ['a.example.com', 'b.example.com']],
                ['reset' => true, 'dry-run' => false],
            ],
            'notes' => [],
        ],
        [
            'name' => 'deactivate-site',
            'operation' => 'admin_deactivate_site',
            'args' => ['INV-1', ['reason' => 'cancelled: non-payment']],
            'notes' => [],
        ],
        [
            'name' => 'delete-site-deferred',
            'operation' => 'admin_delete_site',
            'args' => [null, ['since' => '30 days ago', 'match' => '^cancelled', 'force' => true]],
            'notes' => [],
        ],
        [
            'name' => 'whoami',
            'operation' => 'common_whoami',
            'args' => [],
            'notes' => ['no arguments: the operation element is empty'],
        ],
    ];
}

/** Realistic return values of the ApisCP methods. */
function response_cases(): array
{
    return [
        [
            'name' => 'collect',
            'operation' => 'admin_collect',
            'value' => [
                'site12' => [
                    'siteinfo' => ['domain' => 'a.com', 'admin_user' => 'admin1', 'email' => ['x@a.com', 'y@a.com'], 'plan' => 'basic'],
                    'billing' => ['invoice' => 'INV-1', 'parent_invoice' => null],
                    'aliases' => ['aliases' => []],
                    'diskquota' => ['quota' => 5000, 'units' => 'MB', 'enabled' => true],
                    'active' => true,
                    'domain' => 'a.com',
                ],
                'site14' => [
                    'siteinfo' => ['domain' => 'b.com', 'admin_user' => 'admin2', 'email' => 'z@b.com', 'plan' => 'basic'],
                    'billing' => ['invoice' => null, 'parent_invoice' => 'INV-1'],
                    'aliases' => ['aliases' => ['www.b.com']],
                    'diskquota' => ['quota' => 2.5, 'units' => 'GB', 'enabled' => false],
                    'active' => false,
                    'domain' => 'b.com',
                ],
            ],
            'notes' => ['an empty aliases list is an empty SOAP-ENC:Array'],
        ],
        ['name' => 'collect-empty', 'operation' => 'admin_collect', 'value' => [], 'notes' => ['no match: an empty SOAP-ENC:Array (a list), not an empty map']],
        ['name' => 'add-site', 'operation' => 'admin_add_site', 'value' => true, 'notes' => []],
        ['name' => 'list-plans', 'operation' => 'admin_list_plans', 'value' => ['basic', 'premium'], 'notes' => []],
        [
            'name' => 'get-plan',
            'operation' => 'admin_get_plan',
            'value' => ['siteinfo' => ['plan' => 'basic'], 'diskquota' => ['enabled' => true, 'quota' => 5000, 'units' => 'MB'], 'cgroup' => ['memory' => 512, 'proclimit' => 100, 'cpu' => null]],
            'notes' => [],
        ],
        ['name' => 'get-domains', 'operation' => 'admin_get_domains', 'value' => [12 => 'a.com', 14 => 'b.com'], 'notes' => ['keys are PHP ints: <key xsi:type="xsd:int">; JSON can only show them as strings']],
        ['name' => 'get-domains-from-one', 'operation' => 'admin_get_domains', 'value' => [1 => 'a.com'], 'notes' => ['keys 1.. are not 0..n-1, so still a map with int keys']],
        ['name' => 'get-domains-from-zero', 'operation' => 'admin_get_domains', 'value' => [0 => 'a.com', 1 => 'b.com'], 'notes' => ['keys 0..n-1 in order make PHP send a LIST: a decoder that wants id → domain must accept a list too (index = id)']],
        ['name' => 'site-id', 'operation' => 'admin_get_site_id_from_domain', 'value' => 12, 'notes' => []],
        ['name' => 'site-id-null', 'operation' => 'admin_get_site_id_from_domain', 'value' => null, 'notes' => ['null return: <return xsi:nil="true"/>']],
        ['name' => 'false', 'operation' => 'admin_edit_site', 'value' => false, 'notes' => ['what a failed call returns without Abort-On: error']],
        [
            'name' => 'usage-storage',
            'operation' => 'admin_get_usage',
            'value' => ['site12' => ['qused' => 1024, 'qhard' => 5120000], 'site14' => ['qused' => 0, 'qhard' => 0]],
            'notes' => [],
        ],
        ['name' => 'hijack', 'operation' => 'admin_hijack', 'value' => 'f0e1d2c3b4a5968778695a4b3c2d1e0f', 'notes' => []],
        ['name' => 'whoami', 'operation' => 'common_whoami', 'value' => 'admin', 'notes' => []],
    ];
}

/** Single values, sent both ways. */
function value_cases(): array
{
    $holes = ['a', 'b', 'c'];
    unset($holes[1]);
    return [
        ['name' => 'null', 'value' => null, 'notes' => []],
        ['name' => 'true', 'value' => true, 'notes' => []],
        ['name' => 'false', 'value' => false, 'notes' => []],
        ['name' => 'int-zero', 'value' => 0, 'notes' => []],
        ['name' => 'int-negative', 'value' => -42, 'notes' => []],
        ['name' => 'int-32bit-max', 'value' => 2147483647, 'notes' => []],
        ['name' => 'int-over-32bit', 'value' => 2147483648, 'notes' => ['still xsd:int: PHP labels every PHP int xsd:int, whatever its size']],
        ['name' => 'int-js-safe-max', 'value' => 9007199254740991, 'notes' => ['xsd:int']],
        ['name' => 'int-php-max', 'value' => PHP_INT_MAX, 'notes' => ['xsd:int 9223372036854775807: beyond JS Number precision; JSON.parse of the value rounds it to 9223372036854775808']],
        ['name' => 'float', 'value' => 1.5, 'notes' => []],
        ['name' => 'float-tenth', 'value' => 0.1, 'notes' => ['shortest round-trip form (serialize_precision=-1)']],
        ['name' => 'float-integral', 'value' => 5.0, 'notes' => ['PHP float 5.0 travels as <… xsi:type="xsd:float">5</…>: the type says float, the text has no fraction; in JS it is just 5']],
        ['name' => 'float-large', 'value' => 1e20, 'notes' => ['text is 1.0E+20']],
        ['name' => 'float-small', 'value' => 1.0E-7, 'notes' => ['text is 1.0E-7']],
        ['name' => 'string-empty', 'value' => '', 'notes' => []],
        ['name' => 'string-numeric', 'value' => '12', 'notes' => ['a numeric string stays xsd:string']],
        ['name' => 'string-unicode', 'value' => "Müller — 日本語 🎉", 'notes' => ['raw UTF-8, no character references']],
        ['name' => 'string-xml-special', 'value' => "<a href=\"x\">&amp; 'q'</a> ]]>", 'notes' => ['only < > & are escaped; quotes are left as they are']],
        ['name' => 'string-whitespace', 'value' => "  leading and trailing  ", 'notes' => ['whitespace is kept as is; a decoder must not trim']],
        ['name' => 'string-newlines', 'value' => "line1\nline2\r\nline3\ttab", 'notes' => ['\\r is written as &#13; (so XML parsing keeps it); \\n and \\t are raw']],
        ['name' => 'array-empty', 'value' => [], 'notes' => ['SOAP-ENC:Array, arrayType xsd:ur-type[0]']],
        ['name' => 'list-strings', 'value' => ['a', 'b', 'c'], 'notes' => ['arrayType xsd:string[3]']],
        ['name' => 'list-ints', 'value' => [1, 2, 3], 'notes' => ['arrayType xsd:int[3]']],
        ['name' => 'list-mixed', 'value' => [1, 'two', true, null, 1.5], 'notes' => ['arrayType xsd:ur-type[5], every item carries its own xsi:type; null item is <item xsi:nil="true"/>']],
        ['name' => 'list-of-lists', 'value' => [[1, 2], []], 'notes' => ['arrayType SOAP-ENC:Array[2]']],
        [
            'name' => 'list-of-maps',
            'value' => [['name' => 'a', 'n' => 1], ['name' => 'b', 'n' => 2]],
            'notes' => ['arrayType ns2:Map[2]'],
        ],
        ['name' => 'map-int-keys', 'value' => [12 => 'a.com', 14 => 'b.com'], 'notes' => ['keys are <key xsi:type="xsd:int">']],
        ['name' => 'map-numeric-string-key', 'value' => ['12' => 'x'], 'notes' => ['PHP turns the string key "12" into the int 12, so the key goes out as xsd:int exactly like map-int-keys']],
        ['name' => 'map-mixed-keys', 'value' => ['a' => 1, 5 => 'b', '007' => 'c'], 'notes' => ['5 is an int key (xsd:int); "007" is not canonical, so it stays a string key']],
        ['name' => 'map-holes', 'value' => $holes, 'notes' => ['a list with a hole (unset [1]) is no longer 0..n-1, so it is sent as a map with int keys 0 and 2']],
        ['name' => 'map-odd-keys', 'value' => ['' => 1, 'ü' => 2, 'with space' => 3, 'a<b>"q\'' => 4], 'notes' => ['the empty key is <key xsi:type="xsd:string"/>; < and > in keys are escaped like in values']],
        [
            'name' => 'map-key-entities',
            'value' => ['a&b' => 1, 'xAy' => 2],
            'phpValue' => ['a&amp;b' => 1, 'x&#65;y' => 2],
            'notes' => [
                'PHP bug: ext/soap parses entity references in map KEYS while encoding (xmlNodeSetContent), so the PHP key "a&amp;b" is sent as the text a&b (escaped on the wire as a&amp;b) and "x&#65;y" as xAy; `value` is what the XML means, `phpValue` what the PHP code passed',
                'a key with a bare & (e.g. "a&b") makes PHP warn "unterminated entity reference" and send an empty key, so it has no fixture; values are not affected',
            ],
        ],
        [
            'name' => 'map-nested',
            'value' => [
                'aliases' => ['enabled' => true, 'aliases' => [], 'max' => null],
                'lists' => [[1, 2], []],
                'deep' => ['a' => ['b' => ['c' => 'd']]],
            ],
            'notes' => [],
        ],
    ];
}
