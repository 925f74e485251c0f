{{/*
The migration Job: the Dockerfile's `migrate` target (`npm run db:migrate`, every service schema), run by Helm before
install and upgrade, never inside a service's start-up. Call with the chart context; values under .Values.migrations:
image (repository/tag/digest), database.existingSecret/key, resources, backoffLimit, activeDeadlineSeconds.
*/}}
{{- define "ots.migrationName" -}}
{{- printf "%s-migrate" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ots.migrationImage" -}}
{{- $global := .Values.global | default dict -}}
{{- $gimage := $global.image | default dict -}}
{{- $m := .Values.migrations.image -}}
{{- $tag := default (default .Chart.AppVersion $m.tag) $gimage.tag -}}
{{- if $m.digest -}}
{{- printf "%s@%s" $m.repository $m.digest -}}
{{- else -}}
{{- printf "%s:%s" (required "migrations.image.repository is required" $m.repository) $tag -}}
{{- end -}}
{{- end -}}

{{- define "ots.migrationLabels" -}}
app.kubernetes.io/name: migrate
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: migrate
app.kubernetes.io/part-of: ots
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "ots.migrationJob" -}}
{{- $m := .Values.migrations -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "ots.migrationName" . }}
  labels:
    {{- include "ots.migrationLabels" . | nindent 4 }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "0"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: {{ $m.backoffLimit }}
  activeDeadlineSeconds: {{ $m.activeDeadlineSeconds }}
  ttlSecondsAfterFinished: 3600
  template:
    metadata:
      labels:
        {{- include "ots.migrationLabels" . | nindent 8 }}
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: migrate
          image: {{ include "ots.migrationImage" . | quote }}
          imagePullPolicy: {{ $m.image.pullPolicy }}
          command: ["npm", "run", "db:migrate"]
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            runAsGroup: 1000
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            privileged: false
            capabilities:
              drop: [ALL]
            seccompProfile:
              type: RuntimeDefault
          env:
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: {{ required "migrations.database.existingSecret is required" $m.database.existingSecret }}
                  key: {{ $m.database.key }}
          resources:
            {{- toYaml $m.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
{{- end -}}

{{/* The migration Job talks to DNS and PostgreSQL only. Hook weight -1: it exists before the Job starts. */}}
{{- define "ots.migrationNetworkPolicy" -}}
{{- if .Values.networkPolicy.enabled -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "ots.migrationName" . }}
  labels:
    {{- include "ots.migrationLabels" . | nindent 4 }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-1"
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: migrate
      app.kubernetes.io/instance: {{ .Release.Name }}
  policyTypes: [Ingress, Egress]
  ingress: []
  egress:
    - to:
        {{- toYaml .Values.networkPolicy.dns.to | nindent 8 }}
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {{- include "ots.databaseEgress" . | nindent 4 }}
{{- end -}}
{{- end -}}
