/**
 * The custom formats compose-spec.json names. Docker Compose (compose-go) checks them in Go code, not in the schema;
 * these follow the same syntax: Go durations, Docker port specs, CIDR subnets.
 */
const DURATION_UNIT = '(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|ms|s|m|h)';
const DURATION = new RegExp(`^[-+]?(?:0|(?:${DURATION_UNIT})+)$`);
// [host_ip:][published[-range]:]target[-range][/protocol]
const PORT_SPEC = /^(?:(?:\[[0-9a-fA-F:.]+\]|[0-9.]+):)?(?:\d{1,5}(?:-\d{1,5})?:)?\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp|sctp))?$/;
const EXPOSE = /^\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp|sctp))?$/;
const CIDR = /^(?:(?:\d{1,3}\.){3}\d{1,3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;

export const composeFormats: Record<string, (value: string | number) => boolean> = {
  duration: (value) => DURATION.test(String(value)),
  ports: (value) => PORT_SPEC.test(String(value)),
  expose: (value) => EXPOSE.test(String(value)),
  subnet_ip_address: (value) => CIDR.test(String(value)),
};
