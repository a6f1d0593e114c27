import { Stack, Validations } from 'aws-cdk-lib';
// cdk-nag names an IAM5 finding after the resource as this function flattens it.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's `AwsSolutions-IAM5` finding for one wildcard resource that
 * `principal` (a role, or a construct holding its policy) is granted on purpose, and only
 * that resource: any other wildcard in the same policy is still reported.
 * The finding quotes the resource as the template has it; a reference to another stack only
 * takes that form once the app has resolved its references, so the acknowledgement is
 * recorded then (construct validation runs after that step and before cdk-nag).
 * @param resource the resource exactly as granted (an ARN, possibly with tokens)
 * @param reason why the wildcard is needed, shown in the validation report
 */
export function acknowledgeWildcardResource(
  principal: IConstruct,
  resource: string,
  reason: string,
): void {
  principal.node.addValidation({
    validate: () => {
      const flat = flattenCfnReference(Stack.of(principal).resolve(resource));
      Validations.of(principal).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
      return [];
    },
  });
}
