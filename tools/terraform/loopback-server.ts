/**
 * The plumbing of the offline AWS stand-ins (STS, KMS, IAM): an HTTP server on a free loopback port
 * that reads each request's whole body, hands it to the stand-in and sends back its answer, and
 * closes cleanly; plus the parts of a request every stand-in reads (the SigV4 access key id) and
 * the parts of AWS's query protocol (form-encoded `Action=...`, XML answers) that STS and IAM share.
 * What a stand-in answers, and what it records of each request, stays in the stand-in.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in's answer to one request. */
export interface StandInReply {
  readonly status: number;
  /** The `Content-Type` header. */
  readonly contentType: string;
  readonly body: string;
  /**
   * Further headers, sent after `Content-Type` and `Content-Length`.
   * @default none
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Answers one request, given with its whole body (UTF-8). An error it throws is not caught: a bug in a stand-in fails loudly. */
export type StandInHandler = (request: IncomingMessage, body: string) => StandInReply;

/** A running loopback server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`, for the provider's `endpoints { <service> = ... }`. */
  readonly endpoint: string;
  /** Stops listening (dropping open connections); resolves once the server is closed. */
  close(): Promise<void>;
}

/** What every stand-in records of a request. */
export interface StandInRequest {
  /** The action asked for (the query form's `Action`, or `X-Amz-Target` without its service), or null without one. */
  readonly action: string | null;
  /** The access key id from the SigV4 Authorization header. */
  readonly accessKeyId: string | undefined;
}

/** A running stand-in that records every request it answers. */
export interface RecordingStandIn<Request extends StandInRequest> extends LoopbackServer {
  /** Every request so far, oldest first. */
  readonly requests: readonly Request[];
}

/** Starts a server on a free loopback port that answers every request with `handle`. */
export async function startLoopbackServer(handle: StandInHandler): Promise<LoopbackServer> {
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const reply = handle(request, body);
      response.writeHead(reply.status, {
        'Content-Type': reply.contentType,
        'Content-Length': Buffer.byteLength(reply.body),
        ...reply.headers,
      });
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** How many of `requests` name each action, e.g. `{ GetRole: 1 }`; `(none)` counts those without one. */
export function countByAction(requests: readonly { readonly action: string | null }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { action } of requests) counts[action ?? '(none)'] = (counts[action ?? '(none)'] ?? 0) + 1;
  return counts;
}

/** `Credential=<access key id>/<date>/<region>/<service>/aws4_request` in a SigV4 Authorization header. */
export function accessKeyIdOf(request: IncomingMessage): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(request.headers.authorization ?? '')?.[1];
}

/** A query-protocol request's parameters: the form body of a POST, else the URL's query string. */
export function queryParameters(request: IncomingMessage, body: string): URLSearchParams {
  return new URLSearchParams(request.method === 'POST' ? body : ((request.url ?? '').split('?')[1] ?? ''));
}

/** `text` with XML's special characters as character references. */
export const xmlEscape = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** An XML answer, as the query protocol sends both results and errors. */
export function xmlReply(status: number, body: string): StandInReply {
  return { status, contentType: 'text/xml', body };
}

/** A query-protocol error document (`<ErrorResponse>`) of a sender's mistake, in the service's XML `namespace`. */
export function queryErrorXml(namespace: string, requestId: string, code: string, message: string): string {
  return `<ErrorResponse xmlns="${namespace}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
