/**
 * OpenPGP encryption of tfvars files, readable and writable by plain gpg 2.2 (DESIGN §3):
 * - symmetric: SKESK v4 with an iterated+salted S2K (SHA-256), AES-256;
 * - public key: PKESK v3 to v4 keys (RSA or the legacy Curve25519 ECDH that gpg 2.2 knows);
 * - data: SEIPD v1 (CFB + MDC). Never AEAD (SEIPD v2 / OCB), never Argon2, never v6 keys: gpg 2.2 reads none.
 * Every file this module writes is checked against those rules before it leaves memory.
 */
import { createDecipheriv, randomBytes } from "node:crypto";
import * as openpgp from "openpgp";

import { SecretsError } from "./errors";

export { SecretsError };

const CONFIG: Partial<openpgp.Config> = {
  aeadProtect: false,
  v6Keys: false,
  preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes256,
  preferredCompressionAlgorithm: openpgp.enums.compression.uncompressed,
  s2kType: openpgp.enums.s2k.iterated,
  s2kIterationCountByte: 224,
};

/** Public-key algorithms of encryption subkeys that gpg 2.2 can decrypt. */
const GPG22_ENCRYPTION_ALGORITHMS = new Set<openpgp.enums.publicKeyNames>(["rsaEncryptSign", "rsaEncrypt", "ecdh", "elgamal"]);
const GPG22_ECDH_CURVES = new Set(["curve25519Legacy", "nistP256", "nistP384", "nistP521", "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1"]);

export interface EncryptOptions {
  /** Symmetric passphrase; the file opens with it. */
  readonly passphrase?: string;
  /** Public keys of the recipients; each can open the file with its private key. */
  readonly recipients?: readonly openpgp.Key[];
  /** ASCII armor instead of binary. Default binary, like `gpg --output x.gpg`. */
  readonly armor?: boolean;
}

/** Encrypts `plaintext` to a passphrase and/or recipients, as gpg 2.2 can read it. */
export async function encryptText(plaintext: string, options: EncryptOptions): Promise<Uint8Array> {
  const recipients = [...(options.recipients ?? [])];
  if (options.passphrase === undefined && recipients.length === 0) {
    throw new SecretsError(["nothing to encrypt to: give a passphrase or add a recipient (npm run secrets -- recipients add)"]);
  }
  if (options.passphrase === "") throw new SecretsError(["the passphrase is empty"]);
  for (const key of recipients) await assertGpg22Recipient(key);
  const message = await openpgp.createMessage({ binary: new TextEncoder().encode(plaintext), format: "utf8" });
  // Our own session key fixes the cipher suite: AES-256 in SEIPD v1, whatever features the keys announce.
  const sessionKey = { data: randomBytes(32), algorithm: "aes256" as const };
  const common = { message, passwords: options.passphrase !== undefined ? [options.passphrase] : undefined, encryptionKeys: recipients.length ? recipients : undefined, sessionKey, config: CONFIG };
  const bytes = options.armor
    ? new TextEncoder().encode(await openpgp.encrypt({ ...common, format: "armored" }))
    : await openpgp.encrypt({ ...common, format: "binary" });
  await assertGpg22Message(bytes);
  return bytes;
}

/** What opens a message: the key ids of its recipients and whether a passphrase does. */
export interface Envelope {
  readonly recipientKeyIds: readonly string[];
  readonly passphrase: boolean;
  readonly armored: boolean;
}

const ARMOR = "-----BEGIN PGP MESSAGE-----";

function isArmored(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 200)).trimStart();
  return head.startsWith(ARMOR);
}

async function readMessage(bytes: Uint8Array, file: string): Promise<openpgp.Message<Uint8Array>> {
  try {
    return isArmored(bytes)
      ? ((await openpgp.readMessage({ armoredMessage: new TextDecoder().decode(bytes), config: CONFIG })) as openpgp.Message<Uint8Array>)
      : await openpgp.readMessage({ binaryMessage: bytes, config: CONFIG });
  } catch {
    throw new SecretsError([`${file}: not an OpenPGP message (neither gpg binary nor ASCII armor)`]);
  }
}

/** Reads which keys and whether a passphrase open the message, without decrypting it. */
export async function inspect(bytes: Uint8Array, file: string): Promise<Envelope> {
  const message = await readMessage(bytes, file);
  const recipientKeyIds = message.getEncryptionKeyIDs().map((id) => id.toHex().toUpperCase());
  const passphrase = message.packets.filterByTag(openpgp.enums.packet.symEncryptedSessionKey).length > 0;
  if (recipientKeyIds.length === 0 && !passphrase) throw new SecretsError([`${file}: an OpenPGP file, but not an encrypted message`]);
  return { recipientKeyIds, passphrase, armored: isArmored(bytes) };
}

export interface DecryptOptions {
  readonly passphrase?: string;
  /** Decrypted private keys; those among the recipients are tried. */
  readonly privateKeys?: readonly openpgp.PrivateKey[];
}

/** Decrypts a tfvars file; every failure is a SecretsError that says what happened. */
export async function decryptText(bytes: Uint8Array, file: string, options: DecryptOptions): Promise<string> {
  const envelope = await inspect(bytes, file);
  const message = await readMessage(bytes, file);
  const mine = (options.privateKeys ?? []).filter((key) =>
    key.getKeys().some((k) => envelope.recipientKeyIds.includes(k.getKeyID().toHex().toUpperCase())),
  );
  const usePassphrase = mine.length === 0 && options.passphrase !== undefined;
  if (mine.length === 0 && !usePassphrase) {
    const ways = [
      envelope.passphrase ? "its passphrase (TFVARS_PASSPHRASE, --passphrase-fd N or the prompt)" : "",
      envelope.recipientKeyIds.length ? `the private key of one of ${envelope.recipientKeyIds.join(", ")} (TFVARS_PRIVATE_KEY_FILE)` : "",
    ].filter(Boolean);
    const loaded = (options.privateKeys ?? []).map((k) => k.getKeyID().toHex().toUpperCase());
    throw new SecretsError([
      `${file}: not encrypted to any of your keys${loaded.length ? ` (${loaded.join(", ")})` : ""}; it opens with ${ways.join(" or ")}`,
    ]);
  }
  if (usePassphrase && !envelope.passphrase) {
    throw new SecretsError([`${file}: encrypted to keys ${envelope.recipientKeyIds.join(", ")} only; a passphrase does not open it (TFVARS_PRIVATE_KEY_FILE)`]);
  }
  if (usePassphrase && options.passphrase === "") throw new SecretsError(["the passphrase is empty"]);
  try {
    const { data } = await openpgp.decrypt({
      message,
      passwords: usePassphrase ? [options.passphrase!] : undefined,
      decryptionKeys: usePassphrase ? undefined : mine,
      format: "binary",
      config: CONFIG,
    });
    return new TextDecoder("utf-8", { fatal: true }).decode(data as Uint8Array);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    if (e instanceof TypeError) throw new SecretsError([`${file}: the plaintext is not UTF-8 text`]);
    if (/Session key decryption failed/.test(reason)) {
      throw new SecretsError([usePassphrase ? `${file}: wrong passphrase` : `${file}: your key could not decrypt the session key`]);
    }
    if (/Modification detected|MDC|integrity|authentication tag/i.test(reason)) {
      // gpg's own files carry no encrypted session key: a wrong passphrase surfaces as a failed integrity check.
      // (on a fresh parse: a failed decryption consumes the packets' data)
      if (usePassphrase && !(await passphraseQuickCheck(await readMessage(bytes, file), options.passphrase!))) {
        throw new SecretsError([`${file}: wrong passphrase`]);
      }
      throw new SecretsError([`${file}: integrity check failed: the file was modified or damaged (restore it from git)`]);
    }
    throw new SecretsError([`${file}: cannot decrypt: ${reason}`]);
  }
}

/**
 * The OpenPGP CFB "quick check" (RFC 4880 §5.7): with the right key, the two bytes after the random prefix repeat
 * its last two. Tells a wrong passphrase from a damaged file when the SKESK has no encrypted session key.
 */
async function passphraseQuickCheck(message: openpgp.Message<Uint8Array>, passphrase: string): Promise<boolean> {
  const skesk = message.packets.filterByTag(openpgp.enums.packet.symEncryptedSessionKey)[0] as unknown as {
    encrypted: Uint8Array | null;
    sessionKeyAlgorithm: openpgp.enums.symmetric;
    s2k: { produceKey(passphrase: string, keySize: number): Promise<Uint8Array> };
  };
  const seipd = message.packets.filterByTag(openpgp.enums.packet.symEncryptedIntegrityProtectedData)[0] as unknown as {
    encrypted: Uint8Array | ReadableStream<Uint8Array> | null;
    version: number;
  };
  if (!skesk || skesk.encrypted || !seipd?.encrypted || seipd.version !== 1) return true;
  const encrypted = seipd.encrypted instanceof Uint8Array ? seipd.encrypted : await readAll(seipd.encrypted);
  const sizes: Partial<Record<openpgp.enums.symmetric, [string, number]>> = {
    [openpgp.enums.symmetric.aes128]: ["aes-128-cfb", 16],
    [openpgp.enums.symmetric.aes192]: ["aes-192-cfb", 24],
    [openpgp.enums.symmetric.aes256]: ["aes-256-cfb", 32],
  };
  const cipher = sizes[skesk.sessionKeyAlgorithm];
  if (!cipher) return true;
  const key = await skesk.s2k.produceKey(passphrase, cipher[1]);
  const decipher = createDecipheriv(cipher[0], key, Buffer.alloc(16));
  const prefix = decipher.update(encrypted.subarray(0, 18));
  return prefix[14] === prefix[16] && prefix[15] === prefix[17];
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  return Buffer.concat(chunks);
}

/** Refuses a key gpg 2.2 could not decrypt with. */
export async function assertGpg22Recipient(key: openpgp.Key): Promise<void> {
  const id = key.getFingerprint().toUpperCase();
  if (key.isPrivate()) throw new SecretsError([`key ${id}: a private key; recipients are public keys (gpg --export --armor <id>)`]);
  if (key.keyPacket.version !== 4) throw new SecretsError([`key ${id}: a v${key.keyPacket.version} key; gpg 2.2 reads only v4 keys`]);
  let encryptionKey;
  try {
    encryptionKey = await key.getEncryptionKey(undefined, undefined, undefined, { ...openpgp.config, ...CONFIG });
  } catch (e) {
    throw new SecretsError([`key ${id}: no valid encryption subkey (${(e as Error).message.replace(/\.$/, "")})`]);
  }
  const info = encryptionKey.getAlgorithmInfo() as { algorithm: openpgp.enums.publicKeyNames; curve?: string };
  const curveOk = info.algorithm !== "ecdh" || (info.curve !== undefined && GPG22_ECDH_CURVES.has(info.curve));
  if (!GPG22_ENCRYPTION_ALGORITHMS.has(info.algorithm) || !curveOk) {
    throw new SecretsError([`key ${id}: encryption algorithm ${info.algorithm}${info.curve ? `/${info.curve}` : ""} is not readable by gpg 2.2 (use RSA or cv25519)`]);
  }
}

/** Refuses a message that gpg 2.2 could not read (belt and braces over the configuration above). */
async function assertGpg22Message(bytes: Uint8Array): Promise<void> {
  const message = await readMessage(bytes, "(new file)");
  for (const packet of message.packets) {
    const tag = (packet.constructor as unknown as { tag: number }).tag;
    const version = (packet as unknown as { version?: number }).version;
    const problem =
      tag === openpgp.enums.packet.aeadEncryptedData ||
      (tag === openpgp.enums.packet.symEncryptedIntegrityProtectedData && version !== 1) ||
      (tag === openpgp.enums.packet.symEncryptedSessionKey && version !== 4) ||
      (tag === openpgp.enums.packet.publicKeyEncryptedSessionKey && version !== 3);
    if (problem) throw new Error(`internal: produced an OpenPGP packet gpg 2.2 cannot read (tag ${tag}, version ${version})`);
  }
}

/** Reads one or more armored or binary public keys. */
export async function readPublicKeys(data: Uint8Array, source: string): Promise<openpgp.Key[]> {
  try {
    const text = new TextDecoder().decode(data);
    return text.includes("-----BEGIN PGP")
      ? await openpgp.readKeys({ armoredKeys: text, config: CONFIG })
      : await openpgp.readKeys({ binaryKeys: data, config: CONFIG });
  } catch (e) {
    throw new SecretsError([`${source}: not an OpenPGP key (${(e as Error).message})`]);
  }
}

/** Reads an armored private key and decrypts it with `passphrase` when it is protected. */
export async function readPrivateKey(armored: string, source: string, passphrase?: string): Promise<openpgp.PrivateKey> {
  let key: openpgp.PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: armored, config: CONFIG });
  } catch (e) {
    throw new SecretsError([`${source}: not an armored OpenPGP private key (${(e as Error).message})`]);
  }
  if (key.isDecrypted()) return key;
  if (!passphrase) throw new SecretsError([`${source}: the private key is protected; set TFVARS_PRIVATE_KEY_PASSPHRASE`]);
  try {
    return await openpgp.decryptKey({ privateKey: key, passphrase, config: CONFIG });
  } catch {
    throw new SecretsError([`${source}: wrong passphrase for the private key`]);
  }
}

/** Armored public keys, one block with all of them (what `gpg --import` reads). */
export function armorPublicKeys(keys: readonly openpgp.Key[]): string {
  const packets = new openpgp.PacketList<openpgp.AnyPacket>();
  for (const key of keys) packets.push(...key.toPacketList());
  return openpgp.armor(openpgp.enums.armor.publicKey, packets.write());
}
