/**
 * The certificate for `tls: true`: self-signed, made fresh at every start, valid for the names a
 * loopback client uses (localhost, 127.0.0.1, ::1). Clients trust it by pinning it as their CA
 * (`caCert` / `--ca-file`), never by turning verification off.
 */

export interface TlsMaterial {
  /** PEM certificate; for a generated one it is also the CA clients must trust. */
  cert: string;
  /** PEM private key; never leaves the process except into node's TLS server. */
  key: string;
}

export async function generateLoopbackCertificate(): Promise<TlsMaterial> {
  // Loaded when a certificate is made: its crypto stack is the heaviest module siteform has, and
  // only an emulator with TLS needs it (every other command starts without it).
  const { generate } = await import("selfsigned");
  const notBefore = new Date(Date.now() - 60_000); // a minute of slack for clients with a skewed clock
  const notAfter = new Date(notBefore.getTime() + 30 * 24 * 3600 * 1000);
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    // EC keys are made in milliseconds; RSA-2048 would slow every test that starts an HTTPS emulator.
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      // An end-entity certificate: OpenSSL (node, PHP) trusts a pinned self-signed leaf, while
      // some verifiers (webpki) refuse a CA certificate used as a server's own.
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** What a caller may pass as `tls`: nothing or false for HTTP, true for a generated certificate, or a PEM pair. */
export type TlsOption = boolean | { cert: string; key: string } | undefined;

/**
 * The certificate to serve and the CA to hand to clients. Only a generated certificate is handed
 * back: for your own, whoever issued it knows its CA, and passing the leaf off as one would mislead.
 */
export async function resolveTls(tls: TlsOption): Promise<{ material: TlsMaterial | undefined; caCert: string | undefined }> {
  if (tls === undefined || tls === false) return { material: undefined, caCert: undefined };
  if (tls === true) {
    const material = await generateLoopbackCertificate();
    return { material, caCert: material.cert };
  }
  return { material: { cert: tls.cert, key: tls.key }, caCert: undefined };
}
