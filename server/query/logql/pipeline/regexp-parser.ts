import { namedGroups, type Regex } from '../regex.js';
import type { LabelsBuilder } from './labels-builder.js';

/** `| regexp "(?P<name>…)"`: on the first match, each named group becomes a label; no match adds nothing. */
export function compileRegexpParser(regex: Regex): (line: string, labels: LabelsBuilder) => void {
  const groups = namedGroups(regex);
  return (line, labels) => {
    const matcher = regex.matcher(line);
    if (!matcher.find()) return;
    for (const [name, index] of groups) labels.setExtracted(name, matcher.group(index) ?? '');
  };
}
