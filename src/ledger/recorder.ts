/**
 * Who recorded usage: the user (config `user`, default `$USER@hostname`) and the machine (an id
 * kept in the user's state folder). Every event carries the recorder of the handle that wrote it
 * first; file cursors are kept per machine, since two machines can have the same home path.
 */
export interface Recorder {
  user: string;
  machine: string;
}

/** The recorder of a ledger handle opened without one (tests, tools): one local machine. */
export const LOCAL_RECORDER: Recorder = { user: 'local', machine: 'local' };
