/** The namespace usage is recorded into when none is named (`--namespace`, config, environment). */
export const DEFAULT_NAMESPACE = 'cost-tracking';
