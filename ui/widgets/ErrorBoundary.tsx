// Keeps one pane's render error inside that pane: the rest of the UI keeps working and the user
// sees one red line instead of a crashed terminal.
import { Text } from 'ink';
import React from 'react';
import { color } from '../theme';

interface Props {
  name: string;
  children: React.ReactNode;
}

export class ErrorBoundary extends React.Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render(): React.ReactNode {
    if (this.state.error) {
      return (
        <Text color={color('red')} wrap="truncate">
          {`${this.props.name}: error: ${this.state.error.message}`}
        </Text>
      );
    }
    return this.props.children;
  }
}
