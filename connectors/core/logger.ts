/**
 * The logging surface a connector needs.  Structurally the app's Logger
 * (app/platform/logger.server.ts) fits it, so the runtime passes its own; connectors cannot
 * import app/.
 */
export type LogFields = Record<string, unknown>;

export interface ConnectorLogger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export const silentLogger: ConnectorLogger = { debug() {}, info() {}, warn() {}, error() {} };
