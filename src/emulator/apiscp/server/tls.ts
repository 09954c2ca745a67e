/**
 * The certificate for `tls: true`: self-signed, made fresh at every start, valid for the names a
 * loopback client uses (localhost, 127.0.0.1, ::1). Clients trust it by pinning it as their CA
 * (`caCert` / `--ca-file`), never by turning verification off.
 */
import { generate } from "selfsigned";

export interface TlsMaterial {
  /** PEM certificate; for a generated one it is also the CA clients must trust. */
  cert: string;
  /** PEM private key; never leaves the process except into node's TLS server. */
  key: string;
}

export async function generateLoopbackCertificate(): Promise<TlsMaterial> {
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
