// A block of painted text (simple text with SGR codes, lines joined by "\n") as a memoized <Text>:
// while its text is the same string, React does not re-render it, so Ink hands the frame's Output
// the same text through the same transform function, and Output reuses the block's cells whole
// (ui/ink/output.ts) instead of splitting and comparing its lines on every frame.
import { Text } from 'ink';
import React from 'react';

export const MemoText = React.memo(function MemoText({ text }: { text: string }) {
  return <Text>{text}</Text>;
});
