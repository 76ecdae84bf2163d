def handler(events, context):
    """Stop (Action=stop) or start (Action=start) the bastion instances in
    InstanceIds (ec2:StopInstances, ec2:StartInstances); set the time-boxed
    Auto Scaling group AutoScalingGroupName, when given, to MinSize, MaxSize
    and DesiredCapacity (autoscaling:UpdateAutoScalingGroup)."""
    import boto3
    changes = []
    ids = [i for i in events.get("InstanceIds", []) if i and i != "none"]
    if ids:
        ec2 = boto3.client("ec2")
        if events["Action"] == "stop":
            ec2.stop_instances(InstanceIds=ids)
        elif events["Action"] == "start":
            ec2.start_instances(InstanceIds=ids)
        else:
            raise Exception("Action must be stop or start, not %r" % events["Action"])
        changes.append("%s: %s" % (",".join(ids), events["Action"]))
    group = events.get("AutoScalingGroupName", "none")
    if group and group != "none":
        sizes = {k: int(events[k]) for k in ("MinSize", "MaxSize", "DesiredCapacity")}
        boto3.client("autoscaling").update_auto_scaling_group(AutoScalingGroupName=group, **sizes)
        changes.append("%s: min %d max %d desired %d" % (group, sizes["MinSize"], sizes["MaxSize"], sizes["DesiredCapacity"]))
    return {"Changes": changes}
