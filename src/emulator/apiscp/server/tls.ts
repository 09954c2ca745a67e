/** The loopback certificate now lives with every emulator's shared parts; this path is kept for its importers. */
export { generateLoopbackCertificate, type TlsMaterial } from "../../shared/tls.js";
