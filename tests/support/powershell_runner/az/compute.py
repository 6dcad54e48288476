"""Az.Compute: gallery image definitions and versions (src/Compute/Compute/Generated/Gallery*; handwritten
AzurePSCmdlet cmdlets: service errors are written, see _common)."""

import contextlib
import io

from ..commands import Param, command
from ..errors import PSError, Unmodelled
from ..host import standin
from ..values import Hashtable, PSObject
from ._common import as_list, need, ps, split_az, tag_table, tags

MODULE = "Az.Compute"
GEN = "src/Compute/Compute/Generated/"
MODELS = "Microsoft.Azure.Management.Compute.Models."


def compute_error(e, call):
    """ComputeCloudException: the message lists the service's code and message. MODEL CHOICE (unverified layout)."""
    code, message = split_az(e)
    status = "NotFound" if code in ("ResourceNotFound", "NotFound") else "BadRequest"
    return PSError("{}\nErrorCode: {}\nErrorMessage: {}\nStatusCode: {}".format(
        message, code, message, 404 if status == "NotFound" else 400),
        error_id="{},{}".format(code, call.name), category="CloseError",
        exception_type="Microsoft.Azure.Commands.Compute.Common.ComputeCloudException", terminating=False)


def sctx(call, **args):
    return standin.Ctx(call.host.state, args)


def definition_ps(d):
    # PSGalleryImage (src/Compute/Compute/Models/PSGalleryImage.cs, mapped from GalleryImage)
    return ps({"Id": d["id"], "Name": d["name"], "Location": d["location"], "ResourceGroupName": d["resourceGroup"],
               "OsType": d.get("osType", "Linux"), "OsState": d.get("osState", "Generalized"),
               "HyperVGeneration": d.get("hyperVGeneration", "V2"), "ProvisioningState": "Succeeded",
               "Identifier": ps({"Publisher": "publisher", "Offer": "offer", "Sku": "sku"},
                                MODELS + "GalleryImageIdentifier"),
               "Type": "Microsoft.Compute/galleries/images", "Tags": None}, "Microsoft.Azure.Commands.Compute."
                                                                            "Automation.Models.PSGalleryImage")


@command("Get-AzGalleryImageDefinition", params=("ResourceGroupName", "GalleryName", Param(
        "Name", aliases=("GalleryImageDefinitionName",))), module=MODULE,
         source=GEN + "GalleryImage/GalleryImageGetMethod.cs")
def get_definition(call):
    need(call, "ResourceGroupName", "GalleryName", "Name")
    try:
        d = standin.image_definition(sctx(call), call.get("ResourceGroupName"), call.get("GalleryName"),
                                     call.get("Name"))
    except standin.AzError as e:
        raise compute_error(e, call)
    return [definition_ps(d)]


def version_ps(j):
    """PSGalleryImageVersion (src/Compute/Compute/Models/PSGalleryImageVersion.cs), mapped from the SDK's
    GalleryImageVersion: the REST shape standin.image_version_obj prints, in the SDK's PascalCase."""
    def pascal(k):  # the SDK's property names: OsDiskImage, DataDiskImages, SizeInGB, RegionalReplicaCount, ...
        return {"sizeInGb": "SizeInGB"}.get(k, k[:1].upper() + k[1:])

    def conv(x):
        if isinstance(x, dict):
            return PSObject([(pascal(k), conv(v)) for k, v in x.items()])
        if isinstance(x, list):
            return [conv(v) for v in x]
        return x
    keep = {k: j[k] for k in ("id", "name", "location", "provisioningState", "publishingProfile", "storageProfile",
                              "replicationStatus", "safetyProfile", "securityProfile")}
    out = conv(keep)
    out.set("ResourceGroupName", j["resourceGroup"])
    out.set("Type", j["type"])
    out.set("Tags", tag_table(j.get("tags")))
    out.type_names = ["Microsoft.Azure.Commands.Compute.Automation.Models.PSGalleryImageVersion", "System.Object"]
    return out


def find_version(call):
    c = sctx(call, rg=call.get("ResourceGroupName"), gallery=call.get("GalleryName"),
             definition=call.get("GalleryImageDefinitionName"), version=call.get("Name"))
    return c, standin.find_version(c)


@command("Get-AzGalleryImageVersion", params=("ResourceGroupName", "GalleryName", "GalleryImageDefinitionName",
                                               Param("Name", aliases=("GalleryImageVersionName",))),
         module=MODULE, source=GEN + "GalleryImageVersion/GalleryImageVersionGetMethod.cs")
def get_version(call):
    need(call, "ResourceGroupName", "GalleryName", "GalleryImageDefinitionName", "Name")
    try:
        c, v = find_version(call)
    except standin.AzError as e:
        raise compute_error(e, call)
    return [version_ps(standin.image_version_obj(c, v))]


def ht(x, what):
    if not isinstance(x, Hashtable):
        raise Unmodelled("New-AzGalleryImageVersion {}: {!r} (hashtables are modelled)".format(what, x))
    return x


def check_keys(h, allowed, what):
    for k in h.keys():
        if str(k).lower() not in allowed:
            raise Unmodelled("New-AzGalleryImageVersion {} key {!r}".format(what, k))


@command("New-AzGalleryImageVersion", params=(
        "ResourceGroupName", "GalleryName", "GalleryImageDefinitionName", "Name", "Location", "SourceImageId",
        "OSDiskImage",
        "DataDiskImage", "TargetRegion", "PublishingProfileEndOfLifeDate",
        Param("PublishingProfileExcludeFromLatest", switch=True), "ReplicaCount", "StorageAccountType", "Tag"),
         module=MODULE, mutating=True,
         source=GEN + "GalleryImageVersion/GalleryImageVersionCreateOrUpdateMethod.cs @00833d6a (-TargetRegion "
                      "hashtables: Name, ReplicaCount, StorageAccountType, Encryption.osDiskImage.DiskEncryptionSetId; "
                      "the PUT goes through the az path's model, standin.sig_version_create)")
def new_version(call):
    need(call, "ResourceGroupName", "GalleryName", "GalleryImageDefinitionName", "Name", "Location")
    args = {"rg": call.get("ResourceGroupName"), "gallery": call.get("GalleryName"),
            "definition": call.get("GalleryImageDefinitionName"), "version": call.get("Name"),
            "location": call.get("Location")}
    if call.has("SourceImageId"):
        args["image"] = str(call.get("SourceImageId"))
    if call.has("OSDiskImage"):
        osd = ht(call.get("OSDiskImage"), "-OSDiskImage")
        check_keys(osd, {"source"}, "-OSDiskImage")
        args["os_snapshot"] = str(ht(osd.get("Source"), "-OSDiskImage.Source").get("Id"))
    if call.has("DataDiskImage"):
        snaps, luns = [], []
        for d in as_list(call.get("DataDiskImage")):
            d = ht(d, "-DataDiskImage")
            check_keys(d, {"source", "lun"}, "-DataDiskImage")
            snaps.append(str(ht(d.get("Source"), "-DataDiskImage.Source").get("Id")))
            luns.append(str(d.get("Lun")))
        args["data_snapshots"], args["data_luns"] = snaps, luns
    if call.has("TargetRegion"):
        regions, encryption = [], []
        for t in as_list(call.get("TargetRegion")):
            t = ht(t, "-TargetRegion")
            check_keys(t, {"name", "replicacount", "storageaccounttype", "encryption"}, "-TargetRegion")
            # the az path's NAME[=REPLICAS][=STORAGE] (standin.parse_target_regions)
            spec = str(t.get("Name"))
            if t.get("ReplicaCount") is not None:
                spec += "={}".format(int(t.get("ReplicaCount")))
            if t.get("StorageAccountType") is not None:
                spec += "={}".format(t.get("StorageAccountType"))
            regions.append(spec)
            enc = t.get("Encryption")
            if enc is None:
                encryption.append("null")
                continue
            enc = ht(enc, "-TargetRegion.Encryption")
            check_keys(enc, {"osdiskimage", "datadiskimages"}, "-TargetRegion.Encryption")
            # The cmdlet casts Encryption.osDiskImage to a Hashtable and reads DiskEncryptionSetId: without it the
            # cast fails (not modelled). MODEL CHOICE (unverified): dataDiskImages items are read as
            # DiskEncryptionSetId and Lun (the stored source's data disk loop was not readable).
            if enc.get("OSDiskImage") is None:
                raise Unmodelled("New-AzGalleryImageVersion -TargetRegion Encryption without OSDiskImage")
            terms = [str(ht(enc.get("OSDiskImage"), "OSDiskImage").get("DiskEncryptionSetId"))]
            for dd in as_list(enc.get("DataDiskImages")):
                dd = ht(dd, "DataDiskImages")
                check_keys(dd, {"disksencryptionsetid", "diskencryptionsetid", "lun"}, "DataDiskImages")
                terms += [str(int(dd.get("Lun"))), str(dd.get("DiskEncryptionSetId"))]
            encryption.append(",".join(terms))
        args["regions"] = regions
        if any(e != "null" for e in encryption):
            args["encryption"] = encryption
    if call.has("ReplicaCount"):
        args["replica_count"] = str(int(call.get("ReplicaCount")))
    if call.has("StorageAccountType"):
        args["storage"] = str(call.get("StorageAccountType"))
    if call.has("PublishingProfileEndOfLifeDate"):
        # a [DateTime] on the cmdlet; MODEL CHOICE (unverified): kept as the string the script gave
        args["eol"] = str(call.get("PublishingProfileEndOfLifeDate"))
    if call.get("PublishingProfileExcludeFromLatest"):
        args["exclude"] = "true"
    t = tags(call.get("Tag"))
    if t:
        args["tags"] = ["{}={}".format(k, v) for k, v in t.items()]
    c = standin.Ctx(call.host.state, args)
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # the az path's CLI warnings are not the cmdlet's
            standin.sig_version_create(c)
    except standin.AzError as e:
        raise compute_error(e, call)
    c2, v = find_version(call)
    return [version_ps(standin.image_version_obj(c2, v))]
