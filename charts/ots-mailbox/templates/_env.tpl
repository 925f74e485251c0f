{{/*
mailbox's variables beyond the common ones (docs/configuration.md, apps/mailbox/src/config.ts). CSP_PORT (the chat
server's TCP listener) and DATABASE_URL / DATABASE_POOL_SIZE (the message queue) arrive with the mailbox work.
*/}}
{{- define "ots-mailbox.env" -}}
- name: DIRECTORY_GRPC_URL
  value: {{ include "ots.directoryGrpcTarget" . | quote }}
- name: CSP_SERVER_SECRET_KEY_FILE
  value: /run/secrets/ots/{{ .Values.serverKey.key }}
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

{{/* clients connect to the chat server from anywhere (LoadBalancer Service) */}}
{{- define "ots-mailbox.networkIngress" -}}
- ports:
    - port: csp
      protocol: TCP
{{- end -}}

{{- define "ots-mailbox.networkEgress" -}}
{{ include "ots.databaseEgress" . }}
{{ include "ots.directoryGrpcEgress" . }}
{{- end -}}
