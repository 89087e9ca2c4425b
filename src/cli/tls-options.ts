import type { Command } from 'commander';

/**
 * The TLS flags every server command takes (`serve`, `gateway`, `otlp`), declared once:
 * `--tls-cert`, `--tls-key` (read by `readTlsFiles`) and `--allow-plain-http` (`requireTlsOffLoopback`).
 */
export function tlsOptions(command: Command): Command {
  return command
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (with --tls-key)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .option('--allow-plain-http', 'listen on a non-loopback address without TLS (a TLS proxy in front terminates it)');
}
