{{/*
NetworkPolicy of a service: deny everything, then allow only the flows of the architecture. Call with (dict "ctx" $
"ingress" <YAML list of extra ingress rules> "egress" <YAML list of extra egress rules>). Always allowed: Prometheus
scrapes the HTTP port; DNS; NATS. Public services (values networkPolicy.ingressController) also accept the Ingress
controller on the HTTP port.
*/}}
{{- define "ots.networkPolicy" -}}
{{- $ := .ctx -}}
{{- $np := $.Values.networkPolicy -}}
{{- if $np.enabled -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "ots.fullname" $ }}
  labels:
    {{- include "ots.labels" $ | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "ots.selectorLabels" $ | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    # Prometheus scrapes /metrics
    - from:
        {{- toYaml $np.prometheus.from | nindent 8 }}
      ports:
        - port: http
          protocol: TCP
    {{- with $np.ingressController }}
    # the public HTTP routing table (Ingress) reaches this service's public paths
    - from:
        {{- toYaml .from | nindent 8 }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
    {{- with .ingress }}
    {{- . | nindent 4 }}
    {{- end }}
  egress:
    - to:
        {{- toYaml $np.dns.to | nindent 8 }}
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    - to:
        {{- toYaml $np.nats.to | nindent 8 }}
      ports:
        - port: {{ $np.nats.port }}
          protocol: TCP
    {{- with .egress }}
    {{- . | nindent 4 }}
    {{- end }}
{{- end -}}
{{- end -}}

{{/* Egress rule to PostgreSQL (only directory, mailbox, push and the migration job have one). */}}
{{- define "ots.databaseEgress" -}}
- to:
    {{- toYaml .Values.networkPolicy.database.to | nindent 4 }}
  ports:
    - port: {{ .Values.networkPolicy.database.port }}
      protocol: TCP
{{- end -}}

{{/* Egress rule to the directory's gRPC port (pods of the same release). */}}
{{- define "ots.directoryGrpcEgress" -}}
- to:
    - podSelector:
        matchLabels:
          app.kubernetes.io/name: directory
          app.kubernetes.io/instance: {{ .Release.Name }}
  ports:
    - port: {{ .Values.directoryGrpc.port }}
      protocol: TCP
{{- end -}}


{{/* Egress rule to the gRPC port of another service of the same release: (dict "ctx" $ "service" "push" "port" 9103). */}}
{{- define "ots.grpcEgress" -}}
- to:
    - podSelector:
        matchLabels:
          app.kubernetes.io/name: {{ .service }}
          app.kubernetes.io/instance: {{ .ctx.Release.Name }}
  ports:
    - port: {{ .port }}
      protocol: TCP
{{- end -}}
