import type { TextBlock } from '../../core/model/index.ts';

/**
 * Rich text as plain blocks: paragraphs, headings, quotes and lists, without loading the
 * editor. Consecutive list items are grouped into one list.
 */
export function Blocks({ blocks }: { blocks: readonly TextBlock[] }) {
  const groups: { kind: TextBlock['kind']; items: string[] }[] = [];
  for (const block of blocks) {
    const last = groups[groups.length - 1];
    const isList = block.kind === 'bullet' || block.kind === 'ordered';
    if (isList && last?.kind === block.kind) last.items.push(block.text);
    else groups.push({ kind: block.kind, items: [block.text] });
  }
  return (
    <div className="blocks">
      {groups.map((group, i) => {
        switch (group.kind) {
          case 'bullet':
            return (
              <ul key={i}>
                {group.items.map((text, j) => (
                  <li key={j}>{text}</li>
                ))}
              </ul>
            );
          case 'ordered':
            return (
              <ol key={i}>
                {group.items.map((text, j) => (
                  <li key={j}>{text}</li>
                ))}
              </ol>
            );
          case 'heading':
            return (
              <p key={i} className="blocks-heading">
                {group.items[0]}
              </p>
            );
          case 'quote':
            return <blockquote key={i}>{group.items[0]}</blockquote>;
          default:
            return <p key={i}>{group.items[0]}</p>;
        }
      })}
    </div>
  );
}
