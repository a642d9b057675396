// One-line bars: the header (URI, host/domain totals, virtual clock), the recent-events line,
// the status line (command results; errors in red) and the footer with the keymap's hints.
// Lines that are not inverse drop their trailing padding: blank cells cost Ink nothing, spaces
// handed to it are tokenized on every frame.
import { Text } from 'ink';
import React from 'react';
import { useController, useSnapshot, useUi } from '../../context';
import { fit, trimPad } from '../../format';
import { hintsFor } from '../../keys/router';
import { color } from '../../theme';
import { eventText, headerText, hintsText } from './presenter';

export const Header = React.memo(function Header({ width }: { width: number }) {
  const uri = useSnapshot((s) => s.uri);
  const hosts = useSnapshot((s) => s.hosts);
  const domains = useSnapshot((s) => s.domains);
  const clock = useSnapshot((s) => s.clock);
  return (
    <Text bold inverse wrap="truncate">
      {headerText(uri, hosts, domains, clock, width)}
    </Text>
  );
});

export const EventLine = React.memo(function EventLine({ width }: { width: number }) {
  const events = useSnapshot((s) => s.events);
  return (
    <Text dimColor wrap="truncate">
      {trimPad(eventText(events, width))}
    </Text>
  );
});

export const StatusLine = React.memo(function StatusLine({ width }: { width: number }) {
  const status = useUi((s) => s.status);
  if (!status) return <Text wrap="truncate"> </Text>;
  const c = status.kind === 'error' ? color('red') : status.kind === 'ok' ? color('green') : undefined;
  const mark = status.kind === 'error' ? '✗' : status.kind === 'ok' ? '✓' : '·';
  return (
    <Text color={c} wrap="truncate">
      {trimPad(fit(` ${mark} ${status.text}`, width))}
    </Text>
  );
});

export const Footer = React.memo(function Footer({ width }: { width: number }) {
  const c = useController();
  useUi((s) => s);
  return (
    <Text color={color('cyan')} wrap="truncate">
      {trimPad(hintsText(hintsFor(c.layer()), width))}
    </Text>
  );
});
