import { Link } from 'react-router';
import { InertText } from '../../components/inert-text';

/** A consumer group's name as a link to its page (the name is untrusted text: shown inert). */
export function GroupLink({ group }: { group: string }) {
  return (
    <Link to={`/groups/${encodeURIComponent(group)}`}>
      <InertText text={group} links={false} />
    </Link>
  );
}
