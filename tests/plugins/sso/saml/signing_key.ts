import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

export interface SigningKey {
  /** PKCS#8 PEM. */
  privateKey: string
  /** Self-signed X.509 PEM, as an IdP publishes it. */
  certificate: string
  keyFile: string
  certificateFile: string
}

/**
 * A fresh RSA key and self-signed certificate in `folder` (Node makes
 * keys but no certificates, so OpenSSL does both), for an IdP of a test.
 */
export async function createSigningKey(folder: string, name: string): Promise<SigningKey> {
  const keyFile = join(folder, `${name}.pem`)
  const certificateFile = join(folder, `${name}.crt`)
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    keyFile,
    '-out',
    certificateFile,
  ])
  return {
    privateKey: await readFile(keyFile, 'utf8'),
    certificate: await readFile(certificateFile, 'utf8'),
    keyFile,
    certificateFile,
  }
}

/** The certificate's base64 body, as in metadata's ds:X509Certificate. */
export function certificateBody(certificate: string) {
  return certificate.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '')
}
