import type { SynthesizedApp } from './support/synth-app.ts';

type Outputs = Record<string, { Value: unknown; Export?: { Name: string } }>;

/**
 * A value of the stateless template with each reference to the stateful stack replaced by what
 * it reads there, as the stateful template writes it: `Fn::GetStackOutput` of a stateful
 * output (the weak references of `cdk.json`) or `Fn::ImportValue` of one of its exports
 * becomes that output's value (a `Ref`, a `Fn::GetAtt`…). Anything else is left as it is.
 */
export function inStatefulTerms(synthesized: SynthesizedApp, value: unknown): unknown {
  const outputs = (synthesized.statefulTemplate.toJSON().Outputs ?? {}) as Outputs;
  const replace = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(replace);
    if (node === null || typeof node !== 'object') return node;
    const { 'Fn::GetStackOutput': stackOutput, 'Fn::ImportValue': importValue } = node as {
      'Fn::GetStackOutput'?: { StackName: string; OutputName: string };
      'Fn::ImportValue'?: string;
    };
    if (stackOutput?.StackName === synthesized.stateful.stackName) {
      return outputs[stackOutput.OutputName]?.Value ?? node;
    }
    if (typeof importValue === 'string') {
      const exported = Object.values(outputs).find((output) => output.Export?.Name === importValue);
      return exported?.Value ?? node;
    }
    return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, replace(child)]));
  };
  return replace(value);
}
