import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import type { SecretBox } from "./crypto.server";

/**
 * Wraps any Shopify SessionStorage so access and refresh tokens are encrypted at rest
 * (AES-256-GCM, bound to the session id as associated data).  Rows written before encryption was
 * introduced (plain tokens) are still readable and get re-encrypted on the next store.
 */
export class EncryptedSessionStorage implements SessionStorage {
  constructor(
    private readonly inner: SessionStorage,
    private readonly box: SecretBox,
  ) {}

  private seal(session: Session): Session {
    const params = session.toObject();
    const aad = `session:${session.id}`;
    return new Session({
      ...params,
      ...(params.accessToken ? { accessToken: this.box.encrypt(params.accessToken, aad) } : {}),
      ...(params.refreshToken ? { refreshToken: this.box.encrypt(params.refreshToken, aad + ":refresh") } : {}),
    });
  }

  private open(session: Session | undefined): Session | undefined {
    if (!session) return session;
    const params = session.toObject();
    const aad = `session:${session.id}`;
    const dec = (v: string | undefined, ad: string) => (v && this.box.isCiphertext(v) ? this.box.decrypt(v, ad) : v);
    return new Session({
      ...params,
      accessToken: dec(params.accessToken, aad),
      refreshToken: dec(params.refreshToken, aad + ":refresh"),
    });
  }

  storeSession(session: Session) {
    return this.inner.storeSession(this.seal(session));
  }
  async loadSession(id: string) {
    return this.open(await this.inner.loadSession(id));
  }
  deleteSession(id: string) {
    return this.inner.deleteSession(id);
  }
  deleteSessions(ids: string[]) {
    return this.inner.deleteSessions(ids);
  }
  async findSessionsByShop(shop: string) {
    return (await this.inner.findSessionsByShop(shop)).map((s) => this.open(s) as Session);
  }
}
