{{/* directory's variables (docs/configuration.md, apps/directory/src/config.ts) beyond the common ones. */}}
{{- define "ots-directory.env" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret }}
      key: {{ .Values.database.key }}
- name: DATABASE_POOL_SIZE
  value: {{ .Values.database.poolSize | quote }}
- name: GRPC_HOST
  value: "0.0.0.0"
- name: GRPC_PORT
  value: {{ .Values.grpc.port | quote }}
- name: DIRECTORY_SERVER_GROUP
  value: {{ .Values.directory.serverGroup | quote }}
- name: DIRECTORY_CHECK_INTERVAL_S
  value: {{ .Values.directory.checkIntervalSeconds | quote }}
- name: DIRECTORY_CREATE_PER_SOURCE_PER_HOUR
  value: {{ .Values.directory.limits.createPerSourcePerHour | quote }}
- name: DIRECTORY_LOOKUPS_PER_SOURCE_PER_MINUTE
  value: {{ .Values.directory.limits.lookupsPerSourcePerMinute | quote }}
- name: DIRECTORY_SIGNED_PER_IDENTITY_PER_MINUTE
  value: {{ .Values.directory.limits.signedPerIdentityPerMinute | quote }}
{{- end -}}

{{- define "ots-directory.ports" -}}
- name: grpc
  containerPort: {{ .Values.grpc.port }}
  protocol: TCP
{{- end -}}

{{- define "ots-directory.volumes" -}}{{- end -}}
{{- define "ots-directory.volumeMounts" -}}{{- end -}}

{{/* gRPC directory.v1 is called by mailbox, contact-sync and data-export of the same release only. */}}
{{- define "ots-directory.networkIngress" -}}
- from:
    - podSelector:
        matchExpressions:
          - key: app.kubernetes.io/name
            operator: In
            values: [mailbox, contact-sync, data-export]
          - key: app.kubernetes.io/instance
            operator: In
            values: [{{ .Release.Name | quote }}]
  ports:
    - port: grpc
      protocol: TCP
{{- end -}}

{{- define "ots-directory.networkEgress" -}}
{{ include "ots.databaseEgress" . }}
{{- end -}}
