/**
 * Where new kernels start: on this machine, or on the Jupyter server chosen with "Sciforge:
 * Connect to Jupyter Server…". The server's URL is kept in the extension's global state and its
 * token in VS Code's SecretStorage (never in settings or files), both per user, not per workspace.
 */
import * as vscode from "vscode";
import { serverAddress, type ServerAddress } from "../jupyter/remote/settings";

const URL_KEY = "sciforge.server.url";
const tokenKey = (baseUrl: string) => `sciforge.server.token:${baseUrl}`;

export class ServerChoice implements vscode.Disposable {
  private current: ServerAddress | undefined;
  private readonly emitter = new vscode.EventEmitter<ServerAddress | undefined>();
  readonly onDidChange = this.emitter.event;
  /** Resolves once the stored choice has been read (kernels wait for it before starting). */
  readonly ready: Promise<void>;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.ready = this.restore();
  }

  private async restore() {
    const url = this.context.globalState.get<string>(URL_KEY);
    if (!url) return;
    try {
      const token = (await this.context.secrets.get(tokenKey(url))) ?? "";
      this.current = serverAddress(url, token, {});
      this.emitter.fire(this.current);
    } catch {
      // an unreadable stored URL: back to local kernels
      await this.context.globalState.update(URL_KEY, undefined);
    }
  }

  /** The server new kernels start on, or undefined for local kernels. */
  get address(): ServerAddress | undefined {
    return this.current;
  }

  async connect(address: ServerAddress): Promise<void> {
    await this.context.globalState.update(URL_KEY, address.baseUrl);
    if (address.token) await this.context.secrets.store(tokenKey(address.baseUrl), address.token);
    else await this.context.secrets.delete(tokenKey(address.baseUrl));
    this.current = address;
    this.emitter.fire(address);
  }

  /** Back to local kernels; the server's token is forgotten. */
  async disconnect(): Promise<void> {
    const url = this.current?.baseUrl ?? this.context.globalState.get<string>(URL_KEY);
    await this.context.globalState.update(URL_KEY, undefined);
    if (url) await this.context.secrets.delete(tokenKey(url));
    this.current = undefined;
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
