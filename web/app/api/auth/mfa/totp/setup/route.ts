import { routes } from "../../../../../../../src/interfaces/http";

export const dynamic = "force-dynamic";
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = routes.mfaTotpSetup;
