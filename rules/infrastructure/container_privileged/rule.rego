# METADATA
# title: Container runs privileged or shares host namespaces
# description: |
#   What it checks: ECS task definitions and AWS Batch job definitions must not run containers
#   with elevated host access: a container with Privileged / privileged true, a task with PidMode
#   / pid_mode "host", or a task with NetworkMode / network_mode "host" whose container runs as
#   root (User absent, "root" or "0"). Terraform's container_definitions and container_properties
#   are JSON strings; they are parsed when written literally or with jsonencode, and a value that
#   cannot be read (file(), a variable) gives unknown.
#   Why it matters: a privileged container has the host's devices and capabilities, and sharing
#   the host PID namespace or the host network as root lets a compromised container read other
#   processes, sniff or bind host interfaces and escape to the instance, and from there reach the
#   instance role (SEC06-BP03).
#   Bad (CloudFormation): ContainerDefinitions: [{Name: app, Image: nginx, Privileged: true}]
#   Bad (Terraform): container_definitions = jsonencode([{ name = "app", privileged = true }])
#   Good: Privileged omitted or false, awsvpc or bridge network mode, a non-root User.
#   References: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html
#   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-tasks-containers.html
#   https://docs.aws.amazon.com/batch/latest/userguide/job_definition_parameters.html
# custom:
#   id: WA-SEC06-CONTAINER-PRIVILEGED
#   severity: high
#   best_practices: [SEC06-BP03]
#   resource_types: [AWS::ECS::TaskDefinition, AWS::Batch::JobDefinition, aws_ecs_task_definition, aws_batch_job_definition]
#   recommended_action: Remove Privileged / privileged, use the awsvpc (or bridge) network mode instead of host, do not share the host PID namespace, and run containers as a non-root User; grant single Linux capabilities through LinuxParameters when really needed.
package walint.rules.container_privileged

import rego.v1

import data.walint.lib

# [type, container-list key, network-mode key, pid-mode key, privileged key, user key, JSON string?]
task_types := [
	["AWS::ECS::TaskDefinition", "ContainerDefinitions", "NetworkMode", "PidMode", "Privileged", "User", false],
	["aws_ecs_task_definition", "container_definitions", "network_mode", "pid_mode", "privileged", "user", true],
]

# containers contains [address, path of the container (for messages), container object, keys]
tasks contains [address, t] if {
	some t in task_types
	some address in lib.managed_of(t[0])
}

# The container list: [path to point at, list or unknown].
container_list(attrs, t) := [[t[1]], json.unmarshal(attrs[t[1]])] if {
	t[6]
	is_string(attrs[t[1]])
	json.is_valid(attrs[t[1]])
} else := [[t[1]], attrs[t[1]]] if {
	lib.is_unknown(attrs[t[1]])
} else := [[t[1]], attrs[t[1]]] if {
	not t[6]
}

# containers: [address, path to point at, container, t]
containers contains [address, at, c, t] if {
	some [address, t] in tasks
	[path, list] := container_list(lib.resource(address).attrs, t)
	is_array(list)
	some i, c in list
	at := container_path(path, i, t)
}

container_path(path, _, t) := path if t[6]

container_path(path, i, t) := array.concat(path, [i]) if not t[6]

deny contains r if {
	some [address, at, c, t] in containers
	lib.is_true(lib.get(c, t[4], null))
	r := lib.result(address, key_path(at, t, t[4]), sprintf("container %s runs privileged: it gets every device and capability of the host", [container_name(c)]))
}

deny contains r if {
	some [address, t] in tasks
	v := lib.resource(address).attrs[t[3]]
	is_string(v)
	lib.lower_of(v) == "host"
	r := lib.result(address, [t[3]], sprintf("%s is \"host\": the containers see and can signal every process of the host", [t[3]]))
}

deny contains r if {
	some [address, at, c, t] in containers
	v := lib.resource(address).attrs[t[2]]
	is_string(v)
	lib.lower_of(v) == "host"
	runs_as_root(lib.get(c, t[5], null))
	r := lib.result(address, key_path(at, t, t[5]), sprintf("container %s runs as root with %s \"host\": it shares the host's network interfaces with root rights", [container_name(c), t[2]]))
}

deny contains r if {
	some address in lib.managed_of("AWS::Batch::JobDefinition")
	v := object.get(lib.resource(address).attrs, ["ContainerProperties", "Privileged"], null)
	lib.is_true(v)
	r := lib.result(address, ["ContainerProperties", "Privileged"], "ContainerProperties.Privileged is true: the job's container gets every device and capability of the host")
}

deny contains r if {
	some address in lib.managed_of("aws_batch_job_definition")
	v := lib.resource(address).attrs.container_properties
	is_string(v)
	json.is_valid(v)
	props := json.unmarshal(v)
	lib.is_true(lib.get(props, "privileged", null))
	r := lib.result(address, ["container_properties"], "container_properties sets privileged to true: the job's container gets every device and capability of the host")
}

runs_as_root(u) if u == null

runs_as_root(u) if {
	is_string(u)
	regex.match(`^(root|0)(:.*)?$`, trim_space(u))
}

key_path(at, t, _) := at if t[6]

key_path(at, t, key) := array.concat(at, [key]) if not t[6]

container_name(c) := sprintf("%q", [c.Name]) if is_string(lib.get(c, "Name", null))

container_name(c) := sprintf("%q", [c.name]) if is_string(lib.get(c, "name", null))

container_name(c) := "(unnamed)" if {
	not is_string(lib.get(c, "Name", null))
	not is_string(lib.get(c, "name", null))
}

unknown contains r if {
	some [address, t] in tasks
	v := lib.resource(address).attrs[t[1]]
	lib.is_unknown(v)
	r := lib.result(address, [t[1]], sprintf("%s is not known statically (%s)", [t[1], lib.unknown_reason(v)]))
}

unknown contains r if {
	some [address, at, c, t] in containers
	lib.is_unknown(lib.get(c, t[4], null))
	r := lib.result(address, key_path(at, t, t[4]), sprintf("%s of container %s is not known statically (%s)", [t[4], container_name(c), lib.unknown_reason(c[t[4]])]))
}

unknown contains r if {
	some [address, t] in tasks
	some k in [t[2], t[3]]
	v := lib.resource(address).attrs[k]
	lib.is_unknown(v)
	r := lib.result(address, [k], sprintf("%s is not known statically (%s)", [k, lib.unknown_reason(v)]))
}

unknown contains r if {
	some [t, path] in [["AWS::Batch::JobDefinition", ["ContainerProperties", "Privileged"]], ["aws_batch_job_definition", ["container_properties"]]]
	some address in lib.managed_of(t)
	v := object.get(lib.resource(address).attrs, path, null)
	lib.is_unknown(v)
	r := lib.result(address, path, sprintf("%s is not known statically (%s)", [concat(".", path), lib.unknown_reason(v)]))
}
