<?php
/**
 * An rpc/encoded WSDL for the ApisCP methods with every part typed xsd:anyType, the shape the
 * apiscp-api.md contract gives the emulator's own WSDL (no public copy of the real one
 * exists). Used to record what PHP's SoapClient sends in WSDL mode and served by the peer.
 * The method table mirrors src/providers/apiscp/methods.ts.
 */

declare(strict_types=1);

const APISCP_METHODS = [
    'admin_collect' => ['params', 'query', 'sites'],
    'admin_add_site' => ['domain', 'admin_user', 'opts', 'flags'],
    'admin_edit_site' => ['site', 'opts', 'flags'],
    'admin_deactivate_site' => ['site', 'flags'],
    'admin_activate_site' => ['site'],
    'admin_delete_site' => ['site', 'flags'],
    'admin_list_plans' => [],
    'admin_get_plan' => ['name'],
    'admin_get_domains' => [],
    'admin_get_site_id_from_domain' => ['domain'],
    'admin_get_usage' => ['field', 'sites'],
    'admin_hijack' => ['site', 'user', 'gate'],
    'auth_change_password' => ['password', 'user', 'domain'],
    'common_whoami' => [],
];

const APISCP_NS = 'urn:apnscp.api.soap';

function apiscp_wsdl(string $location): string
{
    $ns = APISCP_NS;
    $messages = '';
    $ops = '';
    $bindings = '';
    foreach (APISCP_METHODS as $op => $params) {
        $parts = '';
        foreach ($params as $p) {
            $parts .= "<part name=\"$p\" type=\"xsd:anyType\"/>";
        }
        $messages .= "<message name=\"{$op}Request\">$parts</message>"
            . "<message name=\"{$op}Response\"><part name=\"return\" type=\"xsd:anyType\"/></message>\n";
        $ops .= "<operation name=\"$op\"><input message=\"tns:{$op}Request\"/><output message=\"tns:{$op}Response\"/></operation>\n";
        $body = "<soap:body use=\"encoded\" namespace=\"$ns\" encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"/>";
        $bindings .= "<operation name=\"$op\"><soap:operation soapAction=\"$ns#$op\"/><input>$body</input><output>$body</output></operation>\n";
    }
    $loc = htmlspecialchars($location, ENT_XML1 | ENT_QUOTES);
    return <<<XML
<?xml version="1.0" encoding="UTF-8"?>
<definitions name="apnscp" targetNamespace="$ns" xmlns:tns="$ns"
  xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema"
  xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns="http://schemas.xmlsoap.org/wsdl/">
$messages<portType name="apnscpPortType">
$ops</portType>
<binding name="apnscpBinding" type="tns:apnscpPortType"><soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>
$bindings</binding>
<service name="apnscp"><port name="apnscpPort" binding="tns:apnscpBinding"><soap:address location="$loc"/></port></service>
</definitions>

XML;
}
