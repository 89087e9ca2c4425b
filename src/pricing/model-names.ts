/**
 * Other spellings of a model name to try when the name as logged is not in the catalog:
 * gateway prefixes (`anthropic/claude-…`), cloud forms (`us.anthropic.claude-…-v1:0`).
 */
export function nameVariants(model: string): string[] {
  const variants: string[] = [];
  const add = (name: string): void => {
    if (name !== '' && name !== model && !variants.includes(name)) variants.push(name);
  };
  const slash = model.lastIndexOf('/');
  if (slash !== -1) add(model.slice(slash + 1));
  const cloud = /^(?:[a-z]{2,6}\.)?(?:anthropic|openai|google|meta|mistral)\.(.+?)(?:-v\d+(?::\d+)?)?$/.exec(model);
  if (cloud?.[1] !== undefined) add(cloud[1]);
  return variants;
}
