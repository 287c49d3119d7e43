/**
 * What every launch template of the project sets the same way (the launch-template guardrails check the result).
 */

/** IMDSv2 only, with a hop limit of 1: containers on the instance cannot reach its credentials. No tags in metadata. */
export const IMDSV2_ONLY = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" } as const;

/**
 * `tag_specifications` that give what a launch template launches (`resourceTypes`: instances, their volumes and
 * interfaces) the cost tags `tags` (provider default tags do not reach them) and a `Name`.
 */
export function launchTagSpecifications(resourceTypes: readonly string[], tags: Readonly<Record<string, string>>, name: string) {
  return resourceTypes.map((resourceType) => ({ resourceType, tags: { ...tags, Name: name } }));
}
