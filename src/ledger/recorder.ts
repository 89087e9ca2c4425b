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

/** The longest user name or machine id kept (config `user` is refused beyond it). */
export const MAX_RECORDER_TEXT = 128;

/** Whether `text` can name a user or a machine: 1 to `MAX_RECORDER_TEXT` characters, none of them a control character. */
export function validRecorderText(text: string): boolean {
  return text.length > 0 && text.length <= MAX_RECORDER_TEXT && !/[\u0000-\u001f\u007f-\u009f]/.test(text);
}
