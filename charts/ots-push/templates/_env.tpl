{{/* push's variables beyond the common ones (docs/configuration.md, apps/push/src/config.ts). */}}
{{- define "ots-push.env" -}}
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
{{- end -}}

{{- define "ots-push.ports" -}}
- name: grpc
  containerPort: {{ .Values.grpc.port }}
  protocol: TCP
{{- end -}}
{{- define "ots-push.volumes" -}}{{- end -}}
{{- define "ots-push.volumeMounts" -}}{{- end -}}
{{/* gRPC push.v1 is called by mailbox and data-export of the same release only. */}}
{{- define "ots-push.networkIngress" -}}
- from:
    - podSelector:
        matchExpressions:
          - key: app.kubernetes.io/name
            operator: In
            values: [mailbox, data-export]
          - key: app.kubernetes.io/instance
            operator: In
            values: [{{ .Release.Name | quote }}]
  ports:
    - port: grpc
      protocol: TCP
{{- end -}}

{{/* PostgreSQL, and the push providers (FCM, APNs, HMS) over HTTPS */}}
{{- define "ots-push.networkEgress" -}}
{{ include "ots.databaseEgress" . }}
- to:
    {{- toYaml .Values.networkPolicy.pushProviders.to | nindent 4 }}
  ports:
    - port: {{ .Values.networkPolicy.pushProviders.port }}
      protocol: TCP
{{- end -}}
