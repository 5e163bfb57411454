import { useRequest, type RequestOptions } from './use-request';

export const useGroups = (options?: RequestOptions) => useRequest((c, s) => c.listGroups(s), 'groups', options);

export const useGroup = (group: string, options?: RequestOptions) => useRequest((c, s) => c.describeGroup(group, s), `group:${group}`, options);

/** Every group that committed offsets for `topic` or has members subscribed to it (describeGroup for each group). */
export const useGroupsOfTopic = (topic: string) =>
  useRequest(
    async (c, s) => {
      const groups = await c.listGroups(s);
      const details = await Promise.all(groups.map((g) => c.describeGroup(g.group, s).catch(() => null)));
      return details.filter((d) => d !== null && (d.offsets.some((o) => o.topic === topic) || d.members.some((m) => m.topics.includes(topic)))).map((d) => d!);
    },
    `groups-of:${topic}`,
    { refreshMs: 5000 },
  );

/** listGroups, then describeGroup for each: the groups table shows lag, which only the description has. */
export const useGroupDetails = (options?: RequestOptions) =>
  useRequest(
    async (c, s) => {
      const groups = await c.listGroups(s);
      const details = await Promise.all(groups.map((g) => c.describeGroup(g.group, s).catch(() => null)));
      return details.filter((d) => d !== null).map((d) => d!);
    },
    'group-details',
    options,
  );
