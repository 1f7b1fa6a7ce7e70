import { runInNewContext } from 'node:vm';
import { mongo } from 'mongoose';
import { consistencyDefaults } from '../../../src/db/connect';
import { isDatabaseUnavailable } from '../../../src/db/unavailable';

describe('MongoDB settings the consistency model relies on', () => {
  it('defaults to majority writes, primary reads and driver retries', () => {
    expect(consistencyDefaults('mongodb://a:27017,b:27017/scim?replicaSet=rs0')).toEqual({ w: 'majority', journal: true, readPreference: 'primary', retryWrites: true, retryReads: true });
  });

  it('leaves to the connection string what it sets itself', () => {
    expect(consistencyDefaults('mongodb+srv://cluster.example.net/scim?retryWrites=false&W=1&readPreference=primaryPreferred')).toEqual({ journal: true, retryReads: true });
  });
});

describe('a failover answers 503, so the IdP retries', () => {
  const serverError = (code: number, labels: string[] = []) => {
    const err = new mongo.MongoServerError({ message: `code ${code}`, code, errorLabels: labels });
    return err;
  };

  it.each([
    ['NotWritablePrimary', 10107],
    ['NotPrimaryNoSecondaryOk', 13435],
    ['PrimarySteppedDown', 189],
    ['InterruptedDueToReplStateChange', 11602],
    ['ShutdownInProgress', 91],
  ])('%s', (_name, code) => {
    expect(isDatabaseUnavailable(serverError(code))).toBe(true);
  });

  it('a write the driver labels retryable', () => {
    expect(isDatabaseUnavailable(serverError(1, ['RetryableWriteError']))).toBe(true);
  });

  it('a write to a socket the server already closed (Node\'s own EPIPE, not wrapped by the driver)', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' }))).toBe(true);
  });

  it('the same EPIPE made in another realm, as Node\'s own errors are under Jest (not `instanceof Error` here)', () => {
    const foreign = runInNewContext('Object.assign(new Error("This socket has been ended by the other party"), { code: "EPIPE" })') as unknown;
    expect(foreign instanceof Error).toBe(false);
    expect(isDatabaseUnavailable(foreign)).toBe(true);
  });

  it('a server that closed the connection without answering', () => {
    expect(isDatabaseUnavailable(new mongo.MongoUnexpectedServerResponseError('Unable to get response from server'))).toBe(true);
  });

  it('a connection lost during an insertMany (the driver wraps it in a bulk write error)', () => {
    expect(isDatabaseUnavailable(new mongo.MongoBulkWriteError(new mongo.MongoNetworkError('connection reset'), {} as never))).toBe(true);
    expect(isDatabaseUnavailable(new mongo.MongoBulkWriteError(new mongo.MongoServerSelectionError('no server', {} as never), {} as never))).toBe(true);
  });

  it('but not a refused command (a duplicate key, a bad query)', () => {
    expect(isDatabaseUnavailable(serverError(11000))).toBe(false);
    expect(isDatabaseUnavailable(serverError(2))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(new mongo.MongoBulkWriteError({ message: 'E11000 duplicate key', code: 11000 }, {} as never))).toBe(false);
  });
});
