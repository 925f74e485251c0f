import { DirectoryClientError, DirectoryClientErrorCode } from '@ots/client';
import { isThreemaId } from '@ots/protocol';

import { type CliContext, CliError } from '../cli-context';
import { UsageError } from '../usage';

/** `send <ID> <text...>`: one text message; done when the chat server acknowledged it. */
export async function sendCommand(context: CliContext): Promise<number> {
  const [receiver, ...words] = context.line.positionals;
  const to = receiver.toUpperCase();
  if (!isThreemaId(to)) throw new UsageError(`"${receiver}" is not a Threema ID (8 characters, A-Z and 0-9)`);
  const text = words.join(' ');
  if (text.trim() === '') throw new UsageError('the text is empty');
  const messenger = await context.messenger();
  try {
    const { messageId } = await messenger.sendText(to, text);
    const id = Buffer.alloc(8);
    id.writeBigUInt64LE(messageId);
    context.deps.out(`Sent to ${to} (message ${id.toString('hex')}); the chat server has it.`);
    return 0;
  } catch (error) {
    if (error instanceof DirectoryClientError && error.code === DirectoryClientErrorCode.NOT_FOUND) {
      throw new CliError(`${to} is not in the directory (unknown or revoked)`);
    }
    throw error;
  } finally {
    await messenger.close();
  }
}
