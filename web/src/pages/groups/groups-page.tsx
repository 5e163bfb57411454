import { Page } from '../../components/page';
import { RequestView } from '../../components/states';
import { useGroupDetails } from '../../hooks/group-hooks';
import { formatCount } from '../../lib/units';
import { DataTable } from '../../components/data-table';
import { GroupLink } from './group-link';

/** /groups: every consumer group with its state, members and total lag. */
export function GroupsPage() {
  const groups = useGroupDetails({ refreshMs: 5000 });
  return (
    <Page title="Consumer groups">
      <RequestView state={groups} what="consumer groups" isEmpty={(g) => g.length === 0} empty="No consumer groups yet.">
        {(list) => (
          <DataTable
            label="Consumer groups"
            head={
              <>
                <th>Group</th>
                <th>State</th>
                <th className="num">Members</th>
                <th>Topics</th>
                <th className="num">Total lag</th>
                <th className="num">Generation</th>
              </>
            }
          >
            {list.map((g) => (
              <tr key={g.group}>
                <td>
                  <GroupLink group={g.group} />
                </td>
                <td>
                  <span className={`badge ${g.state}`}>{g.state}</span>
                </td>
                <td className="num">{g.members.length}</td>
                <td>{[...new Set(g.offsets.map((o) => o.topic))].join(', ')}</td>
                <td className="num">{formatCount(g.offsets.reduce((sum, o) => sum + o.lag, 0))}</td>
                <td className="num">{g.generation}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </RequestView>
    </Page>
  );
}
