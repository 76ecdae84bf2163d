"""Tests of the isolation checks' document runner (no emulator needed)."""
import unittest

from scripts.emulator import isolation, run


class RunDocumentTest(unittest.TestCase):
    def test_runs_each_script_step_with_the_parameter_defaults(self):
        content = {
            "parameters": {"SubnetIds": {"type": "StringList", "default": ["subnet-1", "subnet-2"]},
                           "NetworkAclId": {"type": "String", "default": "acl-deny"}},
            "mainSteps": [{"name": "Isolate", "action": "aws:executeScript", "inputs": {
                "Handler": "handler", "InputPayload": {"SubnetIds": "{{ SubnetIds }}", "NetworkAclId": "{{NetworkAclId}}"},
                "Script": "def handler(events, context):\n"
                          "    return {'Changes': [s + '->' + events['NetworkAclId'] for s in events['SubnetIds']]}\n"}}],
        }
        self.assertEqual(isolation.run_document(content), ["subnet-1->acl-deny", "subnet-2->acl-deny"])

    def test_a_failing_script_fails(self):
        content = {"parameters": {}, "mainSteps": [{"name": "S", "inputs": {
            "Handler": "handler", "Script": "def handler(e, c):\n    raise Exception('no association')\n"}}]}
        with self.assertRaisesRegex(Exception, "no association"):
            isolation.run_document(content)

    def test_every_isolation_gap_is_named_and_accepted(self):
        for name, reason in isolation.GAPS.items():
            self.assertTrue(name.startswith("isolation: ") and reason)
            self.assertEqual(run.ACCEPTED_GAPS[name], reason)


if __name__ == "__main__":
    unittest.main()
