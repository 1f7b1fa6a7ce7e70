import { EventEmitter } from 'node:events';
import type { Connection } from 'mongoose';

type MongoClient = ReturnType<Connection['getClient']>;

/**
 * Emits 'write' with a description of each unacknowledged write any watched client sent. Every
 * one also becomes a process warning, which a running process prints; the test suite listens here
 * (jest's sandbox does not pass process warnings on) and fails the file that caused one.
 */
export const unacknowledgedWrites = new EventEmitter<{ write: [description: string] }>();

/**
 * The driver closes a client with `endSessions` sent at `w: 0`. Only tests and one-shot tools
 * close a client, with nothing else running on it; the web and worker processes never close
 * theirs (src/lifecycle.ts' closers leave it to the exit), so the stray reply reaches no one.
 */
const HARMLESS = new Set(['endSessions']);

/**
 * FerretDB v1 answers a `w: 0` write although the client expects no reply; the stray reply
 * stays on the pooled connection and every later command on it reads the answer of the one
 * before (tokens resolved to user documents, one tenant's rows in another's answer). No code
 * path may issue one, whichever library it comes from: this watches every command the client
 * sends (the client needs `monitorCommands: true`).
 */
export function watchForUnacknowledgedWrites(client: MongoClient): void {
  client.on('commandStarted', (event) => {
    const command = event.command as Record<string, unknown>;
    const writeConcern = command.writeConcern as { w?: unknown } | undefined;
    if (writeConcern?.w !== 0 || HARMLESS.has(event.commandName)) return;
    const description = `unacknowledged (w: 0) ${event.commandName} on ${event.databaseName}.${String(command[event.commandName])}`;
    process.emitWarning(description, 'UnacknowledgedWriteWarning');
    unacknowledgedWrites.emit('write', description);
  });
}
