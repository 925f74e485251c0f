{{/*
mailbox's variables beyond the common ones (docs/configuration.md, apps/mailbox/src/config.ts); the CSP_* limits and
MAILBOX_* settings keep their documented defaults.
*/}}
{{- define "ots-mailbox.env" -}}
- name: DIRECTORY_GRPC_URL
  value: {{ include "ots.directoryGrpcTarget" . | quote }}
- name: PUSH_GRPC_URL
  value: {{ include "ots.pushGrpcTarget" . | quote }}
- name: GRPC_HOST
  value: "0.0.0.0"
- name: GRPC_PORT
  value: {{ .Values.grpc.port | quote }}
- name: CSP_SERVER_SECRET_KEY_FILE
  value: /run/secrets/ots/{{ .Values.serverKey.key }}
- name: CSP_HOST
  value: "0.0.0.0"
- name: CSP_PORT
  value: {{ .Values.csp.port | quote }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.key }}
- name: DATABASE_POOL_SIZE
  value: {{ .Values.database.poolSize | quote }}
{{- end -}}

{{- define "ots-mailbox.ports" -}}
- name: grpc
  containerPort: {{ .Values.grpc.port }}
  protocol: TCP
- name: csp
  containerPort: {{ .Values.csp.port }}
  protocol: TCP
{{- end -}}

{{/* the chat server's permanent secret key, from an existing Secret (docs/adr/0004-key-provisioning.md) */}}
{{- define "ots-mailbox.volumes" -}}
- name: server-key
  secret:
    secretName: {{ .Values.serverKey.existingSecret }}
    # 0440: readable by the fsGroup (1000) the service runs with, not by others
    defaultMode: 288
    items:
      - key: {{ .Values.serverKey.key }}
        path: {{ .Values.serverKey.key }}
{{- end -}}

{{- define "ots-mailbox.volumeMounts" -}}
- name: server-key
  mountPath: /run/secrets/ots
  readOnly: true
{{- end -}}

{{/*
Clients connect to the chat server from anywhere (LoadBalancer Service; the *MY3DATA bot of data-export is one of
them); gRPC mailbox.v1 is called by data-export of the same release only.
*/}}
{{- define "ots-mailbox.networkIngress" -}}
- ports:
    - port: csp
      protocol: TCP
- from:
    - podSelector:
        matchLabels:
          app.kubernetes.io/name: data-export
          app.kubernetes.io/instance: {{ .Release.Name }}
  ports:
    - port: grpc
      protocol: TCP
{{- end -}}

{{- define "ots-mailbox.networkEgress" -}}
{{ include "ots.databaseEgress" . }}
{{ include "ots.directoryGrpcEgress" . }}
{{ include "ots.grpcEgress" (dict "ctx" . "service" "push" "port" .Values.pushGrpc.port) }}
{{- end -}}
