export { DIRECTORY_CLIENT, type DirectoryClient, DirectoryClientModule } from './directory-client.module';
