/**
 * A BILLmanager session: `func=auth` with the user and password in the POST body returns a
 * session id (`doc.auth.$id`), which every later call carries as `auth=…` in its body. The
 * password goes nowhere else and is never sent as `authinfo`.
 *
 * BILLmanager ends a session after an hour without requests and then refuses calls with
 * `doc.error` of type `auth`, having done nothing. Such a refusal is cured by logging in once
 * more and repeating the call; that is safe for a mutation too, because the refusal came before
 * any work. A mutation whose answer was lost is never repeated here: that is an unknown outcome
 * for the caller to read back. Filters are per session, so the ones in force are set again in a
 * new session before the call is repeated, or a repeated list would show more than asked.
 */
import { interpret } from "./answer.js";
import { attr, text, isNode, type Node } from "./envelope.js";
import { BillmgrAuthError, type ErrorContext, type Secrets } from "./errors.js";
import { OPERATIONS, type OperationFacts } from "./functions.js";
import type { BillmgrTransport, Form } from "./transport.js";

export interface Credentials {
  user: string;
  password: string;
}

/** The user as BILLmanager's login form takes it; refuses an empty one. */
export function normalizeUser(user: string): string {
  const normalized = user.trim();
  if (normalized === "") throw new TypeError("the BILLmanager user is empty");
  if (/\s/.test(normalized) || [...normalized].some((c) => c.charCodeAt(0) < 0x20)) throw new TypeError(`the BILLmanager user ${JSON.stringify(normalized)} contains spaces or control characters`);
  return normalized;
}

/** The password as given (spaces may be part of it); refuses an empty one without quoting anything. */
export function checkPassword(password: string): string {
  if (password === "") throw new TypeError("the BILLmanager password is empty");
  return password;
}

export class BillmgrSession {
  private sessionId: string | null = null;
  private pendingLogin: Promise<string> | null = null;
  /** Filter function → the form in force, set again after each new login. */
  private readonly restore = new Map<string, Form>();

  constructor(
    private readonly transport: BillmgrTransport,
    private readonly credentials: Credentials,
    private readonly secrets: Secrets,
  ) {}

  /**
   * Calls `fn` in the session, logging in first if there is none yet. A refused session is
   * renewed once and the call repeated once; a second refusal is an auth error.
   */
  async call(fn: string, params: Form, facts: OperationFacts): Promise<Node> {
    const context = this.context(fn);
    const used = await this.current();
    const first = interpret(context, facts.mutating, await this.transport.post(fn, { ...params, auth: used }, facts), this.secrets);
    if (first.kind === "doc") return first.doc;
    const fresh = await this.renew(used);
    const second = interpret(context, facts.mutating, await this.transport.post(fn, { ...params, auth: fresh }, facts), this.secrets);
    if (second.kind === "doc") return second.doc;
    throw new BillmgrAuthError(context, `BILLmanager refused a fresh session too (${second.msg})`);
  }

  /** Keeps `form` in force for `fn` (a filter) in every later session; null forgets it. */
  remember(fn: string, form: Form | null): void {
    if (form === null) this.restore.delete(fn);
    else this.restore.set(fn, form);
  }

  private context(fn: string): ErrorContext {
    return { fn, endpoint: this.transport.endpoint };
  }

  private current(): Promise<string> {
    if (this.sessionId !== null) return Promise.resolve(this.sessionId);
    return this.login();
  }

  /** A new session unless another call already replaced the one that was refused. */
  private async renew(refused: string): Promise<string> {
    if (this.sessionId !== null && this.sessionId !== refused) return this.sessionId;
    if (this.sessionId === refused) this.sessionId = null;
    return this.login();
  }

  /** One login at a time: concurrent calls that need a session share it. */
  private login(): Promise<string> {
    this.pendingLogin ??= this.authenticate().finally(() => {
      this.pendingLogin = null;
    });
    return this.pendingLogin;
  }

  private async authenticate(): Promise<string> {
    const context = this.context("auth");
    const form = { username: this.credentials.user, password: this.credentials.password };
    const answer = interpret(context, OPERATIONS.auth.mutating, await this.transport.post("auth", form, OPERATIONS.auth), this.secrets);
    if (answer.kind === "session-refused") throw new BillmgrAuthError(context, `BILLmanager refused the login (${answer.msg})`);
    const id = sessionIdOf(answer.doc);
    if (id === undefined) throw new BillmgrAuthError(context, "BILLmanager answered the login without a session id (doc.auth.$id)");
    this.secrets.addSession(id);
    for (const [fn, filter] of this.restore) {
      const restored = interpret(this.context(fn), false, await this.transport.post(fn, { ...filter, auth: id }, OPERATIONS.filter), this.secrets);
      if (restored.kind === "session-refused") throw new BillmgrAuthError(this.context(fn), `BILLmanager refused a fresh session (${restored.msg})`);
    }
    this.sessionId = id;
    return id;
  }
}

/** `<auth id="SESSION">SESSION</auth>` as JSON: the attribute, else the text. */
function sessionIdOf(doc: Node): string | undefined {
  const auth = doc.auth;
  const id = (isNode(auth) ? attr(auth, "id") : undefined) ?? text(auth);
  return id === undefined || id.trim() === "" ? undefined : id.trim();
}
